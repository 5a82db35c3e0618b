// What can be checked of a scenario before it runs, beyond its schema: every node a step names
// must be one the control plane knows, unless an earlier step adds nodes (their names are only
// known once they exist). Pure, so the service refuses a bad scenario at submit with the step
// and field at fault instead of failing it minutes into the run.
import type { ChaosAction } from '../../wire/chaos-api.ts';
import type { Scenario } from '../../wire/scenario.ts';

/** Every node an action names, with the field that names it (`node`, `target.from`, `groups.1.0`). */
export function nodeReferences(action: ChaosAction): Array<{ path: string; name: string }> {
  const refs: Array<{ path: string; name: string }> = [];
  if ('node' in action && typeof action.node === 'string') refs.push({ path: 'node', name: action.node });
  if ('groups' in action) action.groups.forEach((g, i) => g.forEach((name, j) => refs.push({ path: `groups.${i}.${j}`, name })));
  if ('select' in action && action.select?.pick === 'ids') action.select.ids.forEach((name, i) => refs.push({ path: `select.ids.${i}`, name }));
  if ('target' in action) {
    for (const k of ['node', 'from', 'to'] as const) {
      const name = action.target[k];
      if (name !== undefined) refs.push({ path: `target.${k}`, name });
    }
  }
  return refs;
}

/** A node reference no known node answers to: the step's index (as written), the field, the name. */
export interface UnknownNode {
  index: number;
  path: string;
  name: string;
  /** "no node named … (known: …)". */
  message: string;
}

/**
 * The first node reference in `steps` no known node answers to (by name or id), or null. Steps
 * are taken in the order they run (by `at`); after an add-node step, names are no longer checked.
 * Scenarios and experiments share it.
 */
export function firstUnknownNode(steps: ReadonlyArray<{ at: number; action?: ChaosAction }>, known: ReadonlyArray<{ id: string; name: string }>): UnknownNode | null {
  const names = new Set(known.flatMap((n) => [n.id, n.name]));
  const order = steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.at - b.step.at);
  for (const { step, index } of order) {
    if (!step.action) continue;
    if (step.action.kind === 'add-node') return null;
    for (const ref of nodeReferences(step.action)) {
      if (!names.has(ref.name)) return { index, ...ref, message: `no node named ${ref.name} (known: ${known.map((n) => n.name).join(', ') || 'none yet'})` };
    }
  }
  return null;
}

/** The first node reference of a scenario no known node answers to, as "steps.<i>.do.<field>: …", or null. */
export function unknownNodeReference(scenario: Scenario, known: ReadonlyArray<{ id: string; name: string }>): string | null {
  const unknown = firstUnknownNode(
    scenario.steps.map((s) => ({ at: s.at, action: s.do })),
    known,
  );
  return unknown && `steps.${unknown.index}.do.${unknown.path}: ${unknown.message}`;
}
