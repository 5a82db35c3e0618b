// Pure rules of the live event feed: how pushes merge into the list and how runs of new
// heads fold into one line. Kept apart from React so they are unit-tested.
import type { NetworkEvent } from '../../../wire/explorer-api.ts';

/**
 * Newest first, each id once; at most `cap` new-head lines and `cap` other lines, so a reorg
 * or a peer drop is not pushed out of the feed by the blocks that follow it.
 */
export function mergeEvents(current: NetworkEvent[], incoming: NetworkEvent[], cap: number): NetworkEvent[] {
  if (incoming.length === 0) return current;
  const seen = new Set<string>();
  const out: NetworkEvent[] = [];
  let heads = 0;
  let others = 0;
  for (const e of [...incoming, ...current].sort((a, b) => b.at - a.at)) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.kind === 'head' ? heads++ >= cap : others++ >= cap) continue;
    out.push(e);
  }
  return out;
}

export type FeedLine = { kind: 'event'; event: NetworkEvent } | { kind: 'heads'; newest: NetworkEvent; oldest: NetworkEvent; count: number };

/** Collapse each run of consecutive new-head events into one line. */
export function groupHeads(events: NetworkEvent[]): FeedLine[] {
  const out: FeedLine[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e.kind !== 'head') out.push({ kind: 'event', event: e });
    else if (last?.kind === 'heads') out[out.length - 1] = { ...last, oldest: e, count: last.count + 1 };
    else out.push({ kind: 'heads', newest: e, oldest: e, count: 1 });
  }
  return out;
}

/**
 * What a paused feed has not shown: the events now held that the frozen list lacks. `capped`
 * when every event held is new, so more may have arrived than the capped list still holds.
 */
export function eventsSince(frozen: readonly NetworkEvent[], live: readonly NetworkEvent[]): { count: number; capped: boolean } {
  const shown = new Set(frozen.map((e) => e.id));
  const count = live.filter((e) => !shown.has(e.id)).length;
  return { count, capped: frozen.length > 0 && count > 0 && count === live.length };
}
