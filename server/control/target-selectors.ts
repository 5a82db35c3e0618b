// Pure: which nodes a target selector picks, and the seeded shuffle every random choice of a
// chaos action comes from. The node list is sorted before shuffling, so the same seed and the
// same set of nodes give the same answer in any order and on any machine (a run can be replayed
// from its record).
import { CodedError } from '../../lib/coded-error.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { selectorCount, type TargetSelector } from '../../wire/chaos-api.ts';

export class TargetSelectionError extends CodedError<'CHAOS_BAD_TARGET'> {}

/** A fresh seed for an action that did not bring one (recorded, so the choice can be replayed). */
export function drawSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

/** The node ids in a seeded random order (Fisher-Yates over the sorted ids). */
export function seededShuffle(nodes: readonly string[], seed: number): string[] {
  const out = [...new Set(nodes)].sort();
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The nodes (sorted) a selector picks from `nodes`; random picks come from `seed`. */
export function resolveTargets(selector: TargetSelector, nodes: readonly string[], seed: number): string[] {
  const known = [...new Set(nodes)].sort();
  if (selector.pick === 'ids') {
    const unknown = selector.ids.filter((id) => !known.includes(id));
    if (unknown.length) throw new TargetSelectionError('CHAOS_BAD_TARGET', `unknown node(s): ${unknown.join(', ')} (name a node by its id or its name; see GET /api/nodes)`);
    return [...new Set(selector.ids)].sort();
  }
  const count = selectorCount(selector, known.length);
  const what = selector.pick === 'random-k' ? `random-k (k=${selector.k})` : selector.pick;
  if (count < 1) throw new TargetSelectionError('CHAOS_BAD_TARGET', `${what} picks no node out of ${known.length}`);
  if (count > known.length) throw new TargetSelectionError('CHAOS_BAD_TARGET', `${what} asks for ${count} nodes, only ${known.length} known`);
  return seededShuffle(known, seed).slice(0, count).sort();
}
