'use client';
// Alerts the monitor has raised and not yet cleared, under the consensus banner. Says nothing
// when all is well; an unavailable alerts endpoint is not worth a red box on the overview.
import { LinkedNames } from '../common/LinkedNames.tsx';
import type { AlertRecord, NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { useNow } from '../common/useNow.ts';
import { useActiveAlerts } from './useActiveAlerts.ts';

export const severityClass: Record<AlertRecord['severity'], string> = { info: '', warning: 'badge-warn', critical: 'badge-bad' };

export function ActiveAlerts({ nodes }: { nodes: NodeStatus[] }) {
  const { data } = useActiveAlerts();
  const now = useNow();
  const alerts = data?.alerts ?? [];
  if (alerts.length === 0) return null;
  const ids = new Map(nodes.map((n) => [n.name, n.id]));
  return (
    <ul className="alerts" aria-label="Active alerts" data-testid="active-alerts">
      {alerts.slice(0, 10).map((a) => (
        <li key={a.id}>
          <span className={`badge ${severityClass[a.severity]}`}>{a.severity}</span>
          <LinkedNames text={a.message} ids={ids} /> <span className="muted small">raised {age(a.raisedAt, now)}</span>
        </li>
      ))}
      {alerts.length > 10 && <li className="muted">…and {alerts.length - 10} more</li>}
    </ul>
  );
}
