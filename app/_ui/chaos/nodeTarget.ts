// Pure: the chaos page's node picker. A node-targeted fault goes to one chosen node, or to a
// selection the server picks when it applies the action (one, a minority, fewer than a third,
// a majority, all, k at random), random picks from a seed the user may give (else the server
// draws one and records it). The draft is what the form holds; the fields are what it sends.
import type { TargetSelector } from '../../../wire/chaos-api.ts';
import { numberOrUndefined } from './chaosModel.ts';

export type PickMode = 'node' | Exclude<TargetSelector['pick'], 'ids'>;

export interface NodeTargetDraft {
  mode: PickMode;
  /** mode 'node': the node id ('' until chosen). */
  node: string;
  /** mode 'random-k': how many. */
  k: string;
  /** Optional: the seed of the random pick. */
  seed: string;
}

export const EMPTY_TARGET: NodeTargetDraft = { mode: 'node', node: '', k: '2', seed: '' };

/** The choices of the picker, in the order shown. */
export const PICK_CHOICES: ReadonlyArray<{ mode: PickMode; label: string }> = [
  { mode: 'node', label: 'a node I choose' },
  { mode: 'one', label: 'one node at random' },
  { mode: 'minority', label: 'a minority (fewer than half)' },
  { mode: 'minority-third', label: 'fewer than a third (what BFT tolerates)' },
  { mode: 'majority', label: 'a majority (more than half)' },
  { mode: 'all', label: 'every node' },
  { mode: 'random-k', label: 'k nodes at random' },
];

/** The selector a draft in a selection mode stands for (k may be NaN or missing: the schema says so). */
function selectorOf(d: NodeTargetDraft): TargetSelector {
  if (d.mode === 'random-k') return { pick: 'random-k', k: numberOrUndefined(d.k) as number };
  return { pick: d.mode as Exclude<PickMode, 'node' | 'random-k'> };
}

const seedField = (d: NodeTargetDraft) => {
  const seed = numberOrUndefined(d.seed);
  return seed !== undefined ? { seed } : {};
};

/** The body fields of a node-targeted fault: `node`, or `select` and an optional `seed`. */
export function nodeTargetFields(d: NodeTargetDraft): Record<string, unknown> {
  if (d.mode === 'node') return { node: d.node };
  return { select: selectorOf(d), ...seedField(d) };
}

/** The fields of an isolate partition shape: its `select` (a chosen node as ids) and an optional `seed`. */
export function isolateFields(d: NodeTargetDraft): Record<string, unknown> {
  const select: TargetSelector = d.mode === 'node' ? { pick: 'ids', ids: d.node ? [d.node] : [] } : selectorOf(d);
  return { select, ...seedField(d) };
}
