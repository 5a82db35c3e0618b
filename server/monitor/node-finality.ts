// Reads a node's finality from its /health answer: `consensus.engine`,
// `blockchain.finalized_height` and `blockchain.finalized_hash`. Nodes from before the BFT
// engine send none of them and PoA sends null, so every field is optional here and anything
// malformed reads as "no finality" rather than throwing: the monitor must keep judging heads.

export interface NodeFinality {
  /** The engine the node names ('poa', 'bft'), null when it names none. */
  engine: string | null;
  /** The node's finalized tip; null on PoA, before the first finalized block, or when unknown. */
  finalized: { height: number; hash: string } | null;
}

const NONE: NodeFinality = { engine: null, finalized: null };

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

export function readFinality(health: unknown): NodeFinality {
  if (typeof health !== 'object' || health === null) return NONE;
  const engine = field(field(health, 'consensus'), 'engine');
  const chain = field(health, 'blockchain');
  const height = field(chain, 'finalized_height');
  const hash = field(chain, 'finalized_hash');
  const finalized = typeof height === 'number' && Number.isSafeInteger(height) && height >= 0 && typeof hash === 'string' && hash.length > 0 ? { height, hash } : null;
  return { engine: typeof engine === 'string' && engine.length > 0 ? engine : null, finalized };
}
