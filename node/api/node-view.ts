// What the HTTP API needs from a running node, and nothing more: the composition root
// implements it, so the API layer is testable and does not reach into internals.
import type { AccountAtHead, Block, ChaosState, ConsensusState, HeadRef, Health, LinkRule, PeerInfo, Tx } from '../../wire/node-api.ts';
import type { Misbehaviour } from '../../wire/bft.ts';

export interface NodeView {
  health(): Health;
  /** The engine's status and round state (GET /consensus). */
  consensus(): ConsensusState;
  head(): HeadRef;
  blocksFrom(from: number, limit: number): Block[];
  blockByHash(hash: string): Block | undefined;
  blockByHeight(height: number): Block | undefined;
  /** An account and the head it is read at, in one step (`address` lowercase). */
  account(address: string): AccountAtHead;
  peers(): PeerInfo[];
  metricsText(): Promise<string>;
  metricsContentType: string;
  /** Validates, admits to the mempool and gossips; throws ChainError. */
  submitTx(tx: Tx): void;
  chaos(): ChaosState;
  setLinkRules(rules: LinkRule[]): ChaosState;
  pause(): ChaosState;
  resume(): ChaosState;
  setClockOffset(ms: number): ChaosState;
  /** Chaos: make this validator byzantine, or honest again with null (ENGINE_UNSUPPORTED when its engine cannot). */
  setByzantine(behaviour: Misbehaviour | null): ChaosState;
}
