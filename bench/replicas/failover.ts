// Leader failover of a two-replica cluster, measured from outside: kill -9 the leader, then
// time (a) until the survivor's /api/health says it leads and (b) until it indexes a new block,
// seen as a `heads:new` arriving through it for a head its node accepted after the kill (the
// dead leader cannot have pushed that one). Catch-up pushes of older heads do not count, so
// (b) errs long by at most one block interval, never short.
import type { ReplicaProcess } from '../../server/testing/replica-process.ts';
import type { LiveClient } from '../live/live-clients.ts';
import { nowMs } from '../core/stream-tap.ts';

export interface FailoverTiming {
  /** kill -9 → the survivor's health reports role leader (ms), null when it never did. */
  leaderAfterMs: number | null;
  /** kill -9 → first head accepted after the kill pushed through the survivor (ms), null when none came. */
  newHeadAfterMs: number | null;
  /** The later of the two: the survivor leads and indexes (ms). */
  failoverMs: number | null;
  /** `live:resync` events the survivor's clients received (one each expected). */
  resyncs: number;
}

export async function measureFailover(leader: ReplicaProcess, survivor: ReplicaProcess, survivorClients: LiveClient[], timeoutMs: number): Promise<FailoverTiming> {
  let resyncs = 0;
  let newHeadAt: number | null = null;
  let killedAt = Infinity;
  for (const c of survivorClients) {
    c.socket.on('live:resync', () => resyncs++);
    c.socket.on('heads:new', (heads) => {
      if (newHeadAt === null && heads.some((h) => h.at > killedAt)) newHeadAt = nowMs();
    });
  }
  killedAt = Date.now();
  leader.child.kill('SIGKILL');
  await leader.exited;

  let leaderAt: number | null = null;
  const deadline = killedAt + timeoutMs;
  while ((leaderAt === null || newHeadAt === null) && Date.now() < deadline) {
    if (leaderAt === null) {
      const role = await survivor
        .health()
        .then((h) => h.replica?.role)
        .catch(() => undefined);
      if (role === 'leader') leaderAt = nowMs();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const since = (t: number | null) => (t === null ? null : Math.round(t - killedAt));
  const failoverMs = leaderAt === null || newHeadAt === null ? null : Math.round(Math.max(leaderAt, newHeadAt) - killedAt);
  return { leaderAfterMs: since(leaderAt), newHeadAfterMs: since(newHeadAt), failoverMs, resyncs };
}
