'use client';
// /chaos: break the network on purpose and watch it fork and heal. The consensus verdict sits
// on top; below it the active faults, the controls (after sign-in) and the history.
import { useMemo, useState } from 'react';
import type { NetworkConsensus } from '../../../wire/explorer-api.ts';
import { clockTime, duration } from '../../_lib/format.ts';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { ConsensusBanner } from '../network/ConsensusBanner.tsx';
import { useNodes } from '../nodes/useNodes.ts';
import { ActiveFaults, HealEverything } from './ActiveFaults.tsx';
import { ChaosActionsProvider } from './ChaosActions.tsx';
import { ByzantineFaults } from './ByzantineFaults.tsx';
import { ChaosHistory } from './ChaosHistory.tsx';
import { LinkFaults } from './LinkFaults.tsx';
import { NodeActions } from './NodeActions.tsx';
import { NodeFaults } from './NodeFaults.tsx';
import { PartitionBuilder } from './PartitionBuilder.tsx';
import { PartitionShapes } from './PartitionShapes.tsx';
import { ScenariosPanel } from './ScenariosPanel.tsx';
import { SessionBar, SignInPanel } from './SignIn.tsx';
import { StorageFaults } from './StorageFaults.tsx';
import { useChaos, useSession } from './useChaos.ts';
import styles from './chaos.module.css';

/** How long the network has been in its current state, and how fast it healed last time. */
function ConvergenceLine({ consensus }: { consensus: NetworkConsensus | undefined }) {
  const now = useNow();
  if (!consensus || consensus.status === 'unknown') return null;
  const last = consensus.lastConvergence;
  return (
    <p className={styles.convergence} data-testid="convergence">
      {consensus.since !== undefined && (
        <span>
          {consensus.status === 'agreed' ? 'In agreement' : consensus.status === 'forked' ? 'Forked' : consensus.status === 'halted' ? 'Halted' : 'Stalled'} for{' '}
          {duration(now - consensus.since)}
        </span>
      )}
      {last && (
        <span>
          Last fork healed: forked at {clockTime(last.forkedAt)}, agreed again after <strong>{last.ms < 10_000 ? `${(last.ms / 1000).toFixed(1)} s` : duration(last.ms)}</strong>
          {last.height !== null ? ` at height ${last.height}` : ''}
        </span>
      )}
    </p>
  );
}

export function ChaosView() {
  const nodesQuery = useNodes();
  // The verdict of the same snapshot as the rows (one cache entry), so banner and rows agree.
  const network = nodesQuery.data?.network;
  const chaos = useChaos();
  const session = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  const nodeList = nodesQuery.data?.nodes;
  const nodes = useMemo(() => nodeList ?? [], [nodeList]);
  const names = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);
  // A health-only node has no admin API the control plane knows of: it is shown, never a target.
  const targets = useMemo(() => nodes.filter((n) => !n.healthOnly), [nodes]);
  const healthOnlyNames = nodes.flatMap((n) => (n.healthOnly ? [n.name] : [])).join(', ');
  const active = useMemo(() => chaos.data?.active ?? [], [chaos.data?.active]);
  const activeIds = useMemo(() => new Set(active.map((r) => r.id)), [active]);
  const signedIn = session.data?.authorised === true;

  let controls;
  if (session.isPending) controls = <Loading what="your sign-in state" />;
  else if (session.error && !session.data) controls = <ErrorState error={session.error} what="your sign-in state" />;
  else if (!signedIn) controls = <SignInPanel notice={notice} onSignedIn={() => setNotice(null)} />;
  else if (nodesQuery.isPending) controls = <Loading what="nodes" />;
  else if (nodesQuery.error && nodes.length === 0) controls = <ErrorState error={nodesQuery.error} what="nodes" />;
  else
    controls = (
      <>
        {healthOnlyNames && (
          <p className="muted small" data-testid="health-only-not-targets">
            Not offered as targets: {healthOnlyNames} (health only: the control plane reads only their height and head hash).
          </p>
        )}
        <div className={styles.controls}>
          <PartitionBuilder nodes={targets} />
          <PartitionShapes nodes={targets} />
          <LinkFaults nodes={targets} />
        </div>
        <NodeActions nodes={targets} active={active} />
        <NodeFaults nodes={targets} />
        <ByzantineFaults nodes={targets} active={active} engine={network?.engine} />
        <StorageFaults nodes={targets} />
      </>
    );

  return (
    <ChaosActionsProvider names={names} onSignedOut={setNotice}>
      <div className={styles.titleRow}>
        <h1>Chaos</h1>
        {signedIn && <SessionBar />}
      </div>
      <p className="lede">
        Break the network on purpose and watch what consensus does: partitions, slow or lossy links, paused or killed nodes, skewed clocks, and on BFT byzantine validators. PoA
        forks and heals; BFT halts without a quorum and resumes, never changing a finalized block. Every action is recorded with its result; timed ones revert by themselves.
      </p>
      <div className={styles.verdict}>
        <ConsensusBanner consensus={network} nodes={nodes} />
        <ConvergenceLine consensus={network} />
      </div>
      {!signedIn && <div className={styles.controlsArea}>{controls}</div>}
      {chaos.isPending ? (
        <Loading what="active faults" />
      ) : chaos.error && !chaos.data ? (
        <ErrorState error={chaos.error} what="active faults" />
      ) : (
        <ActiveFaults active={active} names={names} canAct={signedIn} heal={signedIn ? <HealEverything activeCount={active.length} /> : undefined} />
      )}
      {signedIn && <div className={styles.controlsArea}>{controls}</div>}
      <ScenariosPanel signedIn={signedIn} onSignedOut={setNotice} />
      {chaos.isPending ? (
        <Loading what="chaos history" />
      ) : chaos.error && !chaos.data ? (
        <ErrorState error={chaos.error} what="chaos history" />
      ) : (
        <ChaosHistory history={chaos.data?.history ?? []} names={names} activeIds={activeIds} />
      )}
    </ChaosActionsProvider>
  );
}
