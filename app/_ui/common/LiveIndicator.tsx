'use client';
import { useLiveConnected } from '../../_lib/live.ts';

export function LiveIndicator() {
  const live = useLiveConnected();
  return (
    <span className={`live ${live ? 'live-on' : 'live-off'}`} data-testid="live-indicator" title={live ? 'Receiving live updates' : 'Live updates disconnected; reconnecting…'}>
      {live ? '● live' : '○ reconnecting'}
    </span>
  );
}
