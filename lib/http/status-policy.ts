// The one status policy of node and control plane: which HTTP status each domain error code
// gets. Router-level errors (400 invalid input / bad JSON, 401 no token or an ended session
// UNAUTHORIZED, 403 wrong token FORBIDDEN, 403 a browser write from another origin
// CROSS_ORIGIN, 404 unknown path, 405 wrong method, 413 body too large, 415 a body that is not
// application/json UNSUPPORTED_MEDIA_TYPE) carry their status already; a domain
// error whose code is not listed here is the client's fault (400); anything else is a 500
// (or 503 where the host says the cause is an unavailable dependency, e.g. the database).
export const DOMAIN_ERROR_STATUS: Readonly<Record<string, number>> = {
  // reads
  BLOCK_NOT_FOUND: 404,
  TX_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  // node: transactions (every other ChainError code rejects the tx: 400)
  TX_KNOWN: 409,
  TX_MEMPOOL_FULL: 503,
  // node: a fault its consensus engine cannot carry out (byzantine behaviours under PoA)
  ENGINE_UNSUPPORTED: 409,
  // control plane: chaos and scenarios
  CHAOS_UNKNOWN_NODE: 400,
  CHAOS_BAD_PARTITION: 400,
  CHAOS_NOT_LOCAL: 409,
  CHAOS_NOT_ACTIVE: 404,
  CHAOS_NODE_LIMIT: 409,
  /** storage faults damage the disk of a stopped node only */
  CHAOS_NODE_RUNNING: 409,
  TESTNET_NODE_LIMIT: 409,
  SCENARIO_RUNNING: 409,
  SCENARIO_NOT_FOUND: 404,
  SCENARIO_INVALID: 400,
  SCENARIO_RUN_NOT_FOUND: 404,
  SCENARIO_NOT_RUNNING: 409,
  // control plane: recorded runs
  RUN_NOT_FOUND: 404,
  RUN_IN_PROGRESS: 409,
  RUN_NOT_RUNNING: 409,
  EXPERIMENT_NOT_FOUND: 404,
  EXPERIMENT_INVALID: 400,
  NETWORK_NOT_READY: 409,
};

export const DEFAULT_DOMAIN_STATUS = 400;

export function domainStatus(code: string): number {
  return DOMAIN_ERROR_STATUS[code] ?? DEFAULT_DOMAIN_STATUS;
}
