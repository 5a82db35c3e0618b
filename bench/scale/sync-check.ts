// The "every node in sync" rule of the scale benchmark, pure so it can be printed and tested.
//
// A sample (every node's head at one instant, from the head events each node streamed with its
// own timestamps) is in sync when:
//   1. every node's head is known (its /stream is up);
//   2. the heads span at most one height (a block may be on its way: 1-block tolerance);
//   3. every node at the top height holds the same block;
//   4. every node one below holds the same block, and it is the top block's parent.

export const IN_SYNC_RULE =
  'in sync at an instant (every sample_ms, node heads from their /stream head events by node time) = every node reporting; heads span ≤ 1 height; all nodes at the top height on one hash; all nodes one below on one hash, the parent of the top block';

export interface HeadSample {
  height: number;
  hash: string;
}

export interface SyncVerdict {
  inSync: boolean;
  /** Top height − lowest height among the nodes that answered. */
  spread: number;
  topHeight: number;
  why: string | null;
}

/**
 * `heads[i]` is node i's head or null when it did not answer; `parentOf(hash)` gives the
 * parent hash of the top block (asked only when some node is one block behind).
 */
export async function judgeSample(heads: Array<HeadSample | null>, parentOf: (hash: string) => Promise<string | null>): Promise<SyncVerdict> {
  const answered = heads.filter((h): h is HeadSample => h !== null);
  const top = Math.max(...answered.map((h) => h.height), 0);
  const low = Math.min(...answered.map((h) => h.height), top);
  const spread = top - low;
  const verdict = (why: string | null): SyncVerdict => ({ inSync: why === null, spread, topHeight: top, why });
  const silent = heads.length - answered.length;
  if (silent > 0) return verdict(`${silent} node(s) not reporting`);
  if (spread > 1) return verdict(`heads span ${spread} heights (${low}..${top})`);
  const topHashes = new Set(answered.filter((h) => h.height === top).map((h) => h.hash));
  if (topHashes.size > 1) return verdict(`${topHashes.size} different blocks at the top height ${top}`);
  const lowHashes = new Set(answered.filter((h) => h.height === top - 1).map((h) => h.hash));
  if (lowHashes.size === 0) return verdict(null);
  if (lowHashes.size > 1) return verdict(`${lowHashes.size} different blocks at height ${top - 1}`);
  const parent = await parentOf([...topHashes][0]);
  if (parent !== [...lowHashes][0]) return verdict(`the nodes at height ${top - 1} are on another branch than the top block`);
  return verdict(null);
}
