// Pure: the nodes a node-targeted fault (pause, resume, clock faults, kill, restart, the
// byzantine kinds) acts on. A request names one `node`, or a `select`or that the controller
// resolves once, when it applies the action, over the nodes known then and with a seed (drawn
// when absent). The pick is recorded in `resolvedTargets`, and everything after it (the effect
// on each node, heal, expiry, the record's targets, a run's faults) reads the nodes through
// `nodesOf`, so a fault is undone on exactly the nodes it hit even if the network grew since.
import type { ChaosAction } from '../../wire/chaos-api.ts';
import { resolveTargets } from './target-selectors.ts';

export const NODE_TARGETED_KINDS = ['pause', 'resume', 'clock-skew', 'clock-strobe', 'clock-bump', 'kill', 'restart', 'equivocate', 'withhold-votes', 'delay-proposals'] as const;

export type NodeTargetedAction = Extract<ChaosAction, { kind: (typeof NODE_TARGETED_KINDS)[number] }>;

export function isNodeTargeted(action: ChaosAction): action is NodeTargetedAction {
  return (NODE_TARGETED_KINDS as readonly string[]).includes(action.kind);
}

/** The node ids (sorted) the action acts on: its `node`, or its recorded pick (empty before it is resolved). */
export function nodesOf(action: NodeTargetedAction): string[] {
  if (action.node !== undefined) return [action.node];
  return [...(action.resolvedTargets ?? [])].sort();
}

/**
 * The action as it is recorded: a selector resolved over `nodes` with its seed (drawn when the
 * request had none) into `resolvedTargets`; a `resolvedTargets` the request carried is replaced
 * (dropped when it names a node). Throws TargetSelectionError (CHAOS_BAD_TARGET) when the
 * selector cannot be met. Other actions pass through.
 */
export function withResolvedTargets<A extends ChaosAction>(action: A, nodes: readonly string[], drawn: () => number): A {
  if (!isNodeTargeted(action)) return action;
  const { resolvedTargets: _sent, ...rest } = action;
  if (rest.select === undefined) return rest as A;
  const seed = rest.seed ?? drawn();
  return { ...rest, seed, resolvedTargets: resolveTargets(rest.select, nodes, seed) } as A;
}

/**
 * The fields that name the same nodes in another action: `node`, or `select` with the seed that
 * made the pick (resolved again over the same nodes it picks the same ones: the selector's
 * shuffle does not depend on the order the nodes come in).
 */
export function sameTargets(action: NodeTargetedAction): { node: string } | { select: NonNullable<NodeTargetedAction['select']>; seed?: number } {
  if (action.node !== undefined) return { node: action.node };
  return action.seed === undefined ? { select: action.select! } : { select: action.select!, seed: action.seed };
}
