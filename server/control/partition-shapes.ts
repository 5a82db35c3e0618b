// Pure: a partition shape resolved to the nodes known at apply time. Every shape ends as a
// per-node view (the nodes each node still reaches); link-faults.ts drops both directions of
// every link outside a view. The views are symmetric (a reaches b exactly when b reaches a), so
// each link is either whole or cut, as /peers shows it.
import type { ChaosAction, PartitionResolution, PartitionShape, TargetSelector } from '../../wire/chaos-api.ts';
import { resolveTargets, seededShuffle, TargetSelectionError } from './target-selectors.ts';

export interface PartitionShapeSpec {
  shape: PartitionShape;
  /** isolate: which nodes are cut off (default: one). */
  select?: TargetSelector;
}

export function resolvePartitionShape(spec: PartitionShapeSpec, nodes: readonly string[], seed: number): PartitionResolution {
  const order = seededShuffle(nodes, seed);
  const n = order.length;
  const need = (min: number) => {
    if (n < min) throw new TargetSelectionError('CHAOS_BAD_TARGET', `${spec.shape} needs at least ${min} nodes, ${n} known`);
  };
  switch (spec.shape) {
    case 'majorities-ring': {
      need(4);
      return { seed, groups: [], bridge: null, ring: order, views: majoritiesRing(order) };
    }
    case 'bridge': {
      need(3);
      const [bridge, ...rest] = order;
      const half = Math.floor(rest.length / 2);
      const groups = [rest.slice(0, half).sort(), rest.slice(half).sort()];
      return { seed, groups, bridge, ring: null, views: groupViews(groups, [bridge]) };
    }
    case 'isolate': {
      need(2);
      const cut = resolveTargets(spec.select ?? { pick: 'one' }, order, seed);
      const rest = order.filter((id) => !cut.includes(id)).sort();
      if (rest.length === 0) throw new TargetSelectionError('CHAOS_BAD_TARGET', 'isolate must leave at least one node on the other side');
      const groups = [cut, rest];
      return { seed, groups, bridge: null, ring: null, views: groupViews(groups, []) };
    }
    case 'random-halves': {
      need(2);
      const half = Math.floor(n / 2);
      const groups = [order.slice(0, half).sort(), order.slice(half).sort()];
      return { seed, groups, bridge: null, ring: null, views: groupViews(groups, []) };
    }
  }
}

/**
 * Jepsen's majorities-ring, made symmetric: on the ring, each node reaches the d nearest nodes on
 * each side, d = ceil((m - 1) / 2) for the majority m = floor(n/2) + 1. A view then holds 2d + 1
 * >= m nodes (m or m + 1: one more than a bare majority when m is even, which is what keeps
 * "a reaches b" equal to "b reaches a"), and 2d + 1 < n for n >= 4, so the views, windows
 * centred on different nodes, all differ.
 */
function majoritiesRing(ring: string[]): Record<string, string[]> {
  const n = ring.length;
  const d = Math.ceil((Math.floor(n / 2) + 1 - 1) / 2);
  const views: Record<string, string[]> = {};
  for (const [i, self] of ring.entries()) {
    const view = new Set<string>();
    for (let k = -d; k <= d; k++) view.add(ring[(i + k + n) % n]);
    views[self] = [...view].sort();
  }
  return views;
}

/** Each group reaches itself and the `bridges`; bridges reach everyone. */
function groupViews(groups: string[][], bridges: string[]): Record<string, string[]> {
  const everyone = [...groups.flat(), ...bridges].sort();
  const views: Record<string, string[]> = {};
  for (const g of groups) for (const id of g) views[id] = [...g, ...bridges].sort();
  for (const b of bridges) views[b] = everyone;
  return views;
}

type ShapeAction = Extract<ChaosAction, { kind: 'partition-shape' }>;

/**
 * A partition-shape action as it is recorded: its seed (drawn when the request had none) and
 * its resolution over `nodes`. A resolution the request carried is replaced, so what is applied
 * always follows from the seed and the nodes known now. Other actions pass through.
 */
export function withResolvedShape<A extends ChaosAction>(action: A, nodes: readonly string[], drawn: () => number): A | ShapeAction {
  if (action.kind !== 'partition-shape') return action;
  const shape = action as ShapeAction;
  const seed = shape.seed ?? drawn();
  return { ...shape, seed, resolved: resolvePartitionShape(shape, nodes, seed) };
}
