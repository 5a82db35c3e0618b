// Every route of a node's HTTP API, declared once: the node serves them (node/api through
// lib/http), clients call them (lib/http/node-client.ts), and GET /openapi.json documents them.
// WebSocket upgrades (/p2p, /stream) are not HTTP routes and are not in this table.
import { z } from 'zod';
import { defineRoute } from './http/route.ts';
import { MisbehaviourSchema } from './bft.ts';
import { BlockIdInput, HeightInput } from './bounded-input.ts';
import { AccountAtHeadSchema, BlockSchema, BlocksPageSchema, ChaosStateSchema, ConsensusStateSchema, HealthSchema, LinkRuleSchema, PeerInfoSchema, TxSchema } from './node-api.ts';

/** Largest page GET /blocks returns; a larger `limit` is a 400. */
export const MAX_BLOCKS_PAGE = 500;

const exampleHash = 'ab'.repeat(32);
const exampleKey = 'cd'.repeat(32);
const exampleTx = { hash: exampleHash, from: exampleKey, to: 'ef'.repeat(32), amount: 5, nonce: 0, timestamp: 1_700_000_000_000, signature: '01'.repeat(64) };
const exampleChaos = { rules: [], paused: false, clockOffsetMs: 0 };
const examplePoaConsensus = {
  engine: 'poa',
  status: { engine: 'poa', height: 43, round: 0, step: null, proposer: exampleKey, lockedRound: -1, validRound: -1 },
  roundState: null,
};
// BFT, 4 validators: round 0 timed out (no proposal), round 1 collects prevotes for exampleHash.
const [vA, vB, vC, vD] = ['a1', 'b2', 'c3', 'd4'].map((b) => b.repeat(32));
const exampleBftConsensus = {
  engine: 'bft',
  status: { engine: 'bft', height: 42, round: 1, step: 'prevote', proposer: vD, lockedRound: -1, validRound: -1 },
  roundState: {
    height: 42,
    round: 1,
    step: 'prevote',
    startedAt: 1_700_000_000_000,
    validators: [vA, vB, vC, vD],
    lockedRound: -1,
    lockedBlock: null,
    validRound: -1,
    validBlock: null,
    rounds: [
      { round: 0, proposer: vC, proposal: null, prevotes: ['nil', 'nil', 'nil', null], precommits: ['nil', 'nil', null, null], timeouts: ['propose', 'precommit'] },
      { round: 1, proposer: vD, proposal: exampleHash, prevotes: [exampleHash, null, exampleHash, exampleHash], precommits: [null, null, null, null], timeouts: [] },
    ],
  },
};

const BlockIdParams = z.object({ id: BlockIdInput });
const BlocksQuery = z.object({
  from: HeightInput.default(0),
  limit: z.coerce.number().int().min(1).max(MAX_BLOCKS_PAGE).default(100),
});
const AccountParams = z.object({ address: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex-digit address (a public key)') });
const TxAccepted = z.object({ hash: z.string(), status: z.literal('pending') });

export const nodeRoutes = {
  index: defineRoute({
    method: 'get',
    path: '/',
    summary: 'What this port serves',
    auth: 'public',
    response: z.object({ endpoints: z.array(z.string()) }),
    status: 200,
  }),
  health: defineRoute({
    method: 'get',
    path: '/health',
    summary: "The node's identity, head, peers, sync state and chaos flags",
    tags: ['read'],
    auth: 'public',
    response: HealthSchema,
    status: 200,
  }),
  consensus: defineRoute({
    method: 'get',
    path: '/consensus',
    summary: "The consensus engine's status and the round state of the height being decided (per round, each validator's prevote and precommit), like CometBFT's /consensus_state",
    tags: ['read'],
    auth: 'public',
    response: ConsensusStateSchema,
    status: 200,
    examples: [{ response: examplePoaConsensus }, { response: exampleBftConsensus }],
  }),
  blocks: defineRoute({
    method: 'get',
    path: '/blocks',
    summary: 'Canonical blocks ascending from a height, and the head',
    tags: ['read'],
    auth: 'public',
    query: BlocksQuery,
    response: BlocksPageSchema,
    status: 200,
    examples: [{ query: { from: '1', limit: '3' } }, { query: {}, response: { blocks: [], head: { height: 0, hash: exampleHash } } }],
  }),
  block: defineRoute({
    method: 'get',
    path: '/blocks/{id}',
    summary: 'A block by height (canonical) or by hash (any known block)',
    tags: ['read'],
    auth: 'public',
    params: BlockIdParams,
    response: BlockSchema,
    status: 200,
    examples: [{ params: { id: '42' } }, { params: { id: exampleHash } }],
  }),
  account: defineRoute({
    method: 'get',
    path: '/accounts/{address}',
    summary: "An account's balance and nonce as of this node's canonical head, with that head (an untouched address: 0 and 0)",
    tags: ['read'],
    auth: 'public',
    params: AccountParams,
    response: AccountAtHeadSchema,
    status: 200,
    examples: [{ params: { address: exampleKey }, response: { address: exampleKey, balance: 999_995, nonce: 1, head: { height: 42, hash: exampleHash } } }],
  }),
  peers: defineRoute({
    method: 'get',
    path: '/peers',
    summary: "The node's peer links",
    tags: ['read'],
    auth: 'public',
    response: z.object({ peers: z.array(PeerInfoSchema) }),
    status: 200,
    examples: [{ response: { peers: [] } }],
  }),
  metrics: defineRoute({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format)',
    tags: ['read'],
    auth: 'public',
    response: z.string(),
    status: 200,
    format: 'text',
  }),
  submitTx: defineRoute({
    method: 'post',
    path: '/txs',
    summary: 'Submit a signed transaction to the mempool (gossiped on)',
    tags: ['write'],
    auth: 'public',
    body: TxSchema,
    response: TxAccepted,
    status: 202,
    examples: [{ body: exampleTx, response: { hash: exampleHash, status: 'pending' } }],
  }),
  adminChaos: defineRoute({
    method: 'get',
    path: '/admin/chaos',
    summary: 'Current link rules, pause flag and clock offset',
    tags: ['admin'],
    auth: 'token',
    response: ChaosStateSchema,
    status: 200,
    examples: [{ response: exampleChaos }],
  }),
  adminSetRules: defineRoute({
    method: 'put',
    path: '/admin/chaos/rules',
    summary: 'Replace the link fault rules',
    tags: ['admin'],
    auth: 'token',
    body: z.object({ rules: z.array(LinkRuleSchema).max(1000) }),
    response: ChaosStateSchema,
    status: 200,
    examples: [
      {
        body: { rules: [{ peer: '*', direction: 'both', delayMs: 50 }] },
        response: { ...exampleChaos, rules: [{ peer: '*', direction: 'both', drop: false, delayMs: 50, jitterMs: 0, lossPct: 0, duplicatePct: 0, bandwidthBps: 0 }] },
      },
    ],
  }),
  adminPause: defineRoute({
    method: 'post',
    path: '/admin/pause',
    summary: 'Stop producing and importing blocks',
    tags: ['admin'],
    auth: 'token',
    response: ChaosStateSchema,
    status: 200,
  }),
  adminResume: defineRoute({
    method: 'post',
    path: '/admin/resume',
    summary: 'Undo pause',
    tags: ['admin'],
    auth: 'token',
    response: ChaosStateSchema,
    status: 200,
  }),
  adminClock: defineRoute({
    method: 'put',
    path: '/admin/clock',
    summary: "Skew the node's clock",
    tags: ['admin'],
    auth: 'token',
    body: z.object({ offsetMs: z.number().int().min(-86_400_000).max(86_400_000) }),
    response: ChaosStateSchema,
    status: 200,
    examples: [{ body: { offsetMs: -1234 }, response: { ...exampleChaos, clockOffsetMs: -1234 } }],
  }),
  adminByzantine: defineRoute({
    method: 'put',
    path: '/admin/byzantine',
    summary: 'Make this validator byzantine (equivocate, withhold-votes, delay-proposals), or honest again with null; 409 ENGINE_UNSUPPORTED when its engine has no such faults',
    tags: ['admin'],
    auth: 'token',
    body: z.object({ byzantine: MisbehaviourSchema.nullable() }),
    response: ChaosStateSchema,
    status: 200,
    examples: [{ body: { byzantine: { behaviour: 'delay-proposals', delayMs: 1500 } }, response: { ...exampleChaos, byzantine: { behaviour: 'delay-proposals', delayMs: 1500 } } }],
  }),
  adminSubmitTx: defineRoute({
    method: 'post',
    path: '/admin/txs',
    summary: 'Submit a transaction (same as POST /txs, for scripts holding the token)',
    tags: ['admin'],
    auth: 'token',
    body: TxSchema,
    response: TxAccepted,
    status: 202,
  }),
};
export type NodeRoutes = typeof nodeRoutes;

/** The node's error code for any invalid input (clients match on it). */
export const NODE_INVALID_CODES = { params: 'BAD_REQUEST', query: 'BAD_REQUEST', body: 'BAD_REQUEST' } as const;
