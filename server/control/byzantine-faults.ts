// Byzantine chaos kinds: one local validator told to misbehave through its admin API
// (PUT /admin/byzantine). The node's engine carries the behaviour out; this only translates
// the chaos action into the node's contract, and knows which actions are of this family.
import type { ChaosAction } from '../../wire/chaos-api.ts';
import type { Misbehaviour } from '../../wire/bft.ts';

export const BYZANTINE_KINDS = ['equivocate', 'withhold-votes', 'delay-proposals'] as const;

export type ByzantineAction = Extract<ChaosAction, { kind: (typeof BYZANTINE_KINDS)[number] }>;

export function isByzantineFault(action: ChaosAction): action is ByzantineAction {
  return (BYZANTINE_KINDS as readonly string[]).includes(action.kind);
}

/** The node-side behaviour a byzantine chaos action asks for. */
export function misbehaviourOf(action: ByzantineAction): Misbehaviour {
  switch (action.kind) {
    case 'equivocate':
      return { behaviour: 'equivocate' };
    case 'withhold-votes':
      return { behaviour: 'withhold-votes' };
    case 'delay-proposals':
      return { behaviour: 'delay-proposals', delayMs: action.delayMs };
  }
}
