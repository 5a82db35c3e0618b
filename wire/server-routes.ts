// Every route of the control plane's JSON API under /api, declared once: the server serves
// them (server/api through lib/http), the explorer fetches them (app/_lib/api.ts builds its
// fetchers and query keys from this table), and GET /api/openapi.json documents them.
import { z } from 'zod';
import { defineRoute } from './http/route.ts';
import {
  AlertsResponseSchema,
  BlockResponseSchema,
  BlocksResponseSchema,
  ConsensusResponseSchema,
  EventsResponseSchema,
  ForkPointResponseSchema,
  ForkOverviewResponseSchema,
  ForksResponseSchema,
  HealthResponseSchema,
  HeightsResponseSchema,
  HeightWindowSchema,
  MAX_HEIGHT_POINTS,
  NodeDetailResponseSchema,
  NodesResponseSchema,
  PeersResponseSchema,
  PropagationResponseSchema,
  SearchResponseSchema,
  TxResponseSchema,
  AccountResponseSchema,
  AccountTxsResponseSchema,
} from './explorer-api.ts';
import { ChaosActionResponseSchema, ChaosActionSchema, ChaosResponseSchema, SessionRequestSchema, SessionResponseSchema } from './chaos-api.ts';
import {
  ExperimentsResponseSchema,
  ImportRunResponseSchema,
  MAX_RUN_FILE_BYTES,
  RunFileSchema,
  RunResponseSchema,
  RunsQuerySchema,
  RunsResponseSchema,
  StartRunRequestSchema,
  StartRunResponseSchema,
} from './run-api.ts';
import { ScenarioRunRequestSchema, ScenarioRunResponseSchema, ScenariosResponseSchema } from './scenario.ts';
import { BlockIdInput, boundedInt, HeightInput, InstantInput, MAX_DB_INT, TextInput } from './bounded-input.ts';

/** Most heights GET /api/forks returns at once. */
export const MAX_FORK_RANGE = 500;

const exampleHash = 'ab'.repeat(32);

const BlocksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(25),
  before: HeightInput.optional(),
});
const BlockIdParams = z.object({ id: BlockIdInput });
const TxHashParams = z.object({ hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex-digit hash') });
const ForksQuery = z
  .object({
    from: HeightInput.optional(),
    to: HeightInput.optional(),
    /** The moment to describe: Unix ms or an ISO time; now when absent. */
    at: InstantInput.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be above to')
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from < MAX_FORK_RANGE, `at most ${MAX_FORK_RANGE} heights at once`);
const ForkPointQuery = z.object({ a: TextInput(64).min(1), b: TextInput(64).min(1) });
/** An account address: a 64-hex-digit public key (either case). */
const AccountParams = z.object({ address: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex-digit address (a public key)') });
/** Where the previous page of an account's transactions ended: `<height>-<block hash>-<position>` (its `nextCursor`). */
export const ACCOUNT_TX_CURSOR = /^(\d{1,10})-([0-9a-f]{64})-(\d{1,5})$/;
const AccountTxsQuery = z.object({
  cursor: z
    .string()
    .regex(ACCOUNT_TX_CURSOR, 'expected the nextCursor of a previous page')
    .refine((c) => Number(c.split('-')[0]) <= MAX_DB_INT, `a height is at most ${MAX_DB_INT}`)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const SearchQuery = z.object({ q: TextInput(200).default('') });
const AlertsQuery = z.object({
  active: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Comma-separated kinds to leave out, e.g. exclude=head. */
  exclude: z
    .string()
    .optional()
    .transform(
      (v) =>
        new Set(
          (v ?? '')
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean),
        ),
    ),
});
const HeightsQuery = z.object({
  minutes: z.coerce.number().min(0.5).max(120).default(5),
  /** When given, wins over `minutes`: 5m, 1h, or all (from the first indexed head). */
  window: HeightWindowSchema.optional(),
  /** Most points per series: heads are folded into this many time buckets at most (1 s at least). */
  points: z.coerce.number().int().min(10).max(MAX_HEIGHT_POINTS).default(1_000),
});
const NodeIdParams = z.object({ id: TextInput(64).min(1) });
const RunIdParams = z.object({ id: boundedInt(1) });
/** Most blocks GET /api/propagation reads at once (and heights of its stale rate). */
export const MAX_PROPAGATION_BLOCKS = 1_000;
const PropagationQuery = z.object({ blocks: boundedInt(1, MAX_PROPAGATION_BLOCKS).default(100) });

export const serverRoutes = {
  health: defineRoute({
    method: 'get',
    path: '/api/health',
    summary: 'Server, database and network consensus status',
    tags: ['network'],
    auth: 'public',
    response: HealthResponseSchema,
    status: 200,
    examples: [
      {
        response: {
          status: 'ok',
          server: { uptimeSec: 12, version: '0.1.0' },
          database: { ok: true, error: null },
          network: { status: 'agreed', agreedHeight: 41 },
        },
      },
      {
        response: {
          status: 'ok',
          server: { uptimeSec: 95, version: '0.1.0' },
          database: { ok: true, error: null },
          network: {
            status: 'halted',
            agreedHeight: 57,
            engine: 'bft',
            finalizedHeight: 57,
            reason: 'no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)',
            validators: { total: 4, reachable: 2, quorum: 3, missing: ['node-3', 'node-4'] },
          },
        },
      },
    ],
  }),
  consensus: defineRoute({
    method: 'get',
    path: '/api/consensus',
    summary: "Every node's consensus state (rounds, votes, locks), the equivocation evidence they found, and the last decided heights",
    tags: ['network'],
    auth: 'public',
    response: ConsensusResponseSchema,
    status: 200,
    examples: [
      {
        response: {
          engine: 'poa',
          readAt: 1_700_000_000_000,
          validators: [{ publicKey: '01'.repeat(32), name: 'node-1', nodeId: 'node-1-id' }],
          nodes: [
            {
              nodeId: 'node-1-id',
              name: 'node-1',
              status: { engine: 'poa', height: 43, round: 0, step: null, proposer: '01'.repeat(32), lockedRound: -1, validRound: -1 },
              roundState: null,
              error: null,
            },
          ],
          evidence: [],
          heights: [],
          lastCommit: null,
        },
      },
    ],
  }),
  nodes: defineRoute({
    method: 'get',
    path: '/api/nodes',
    summary: 'Every followed node and its sync status',
    tags: ['network'],
    auth: 'public',
    response: NodesResponseSchema,
    status: 200,
  }),
  nodeHeights: defineRoute({
    method: 'get',
    path: '/api/nodes/heights',
    summary: "Each node's head height over a time window (5m, 1h, all), folded into at most `points` time buckets",
    tags: ['network'],
    auth: 'public',
    query: HeightsQuery,
    response: HeightsResponseSchema,
    status: 200,
    examples: [
      { query: { minutes: '5' }, response: { since: 1_700_000_000_000, series: [{ nodeId: 'a1', name: 'node-1', points: [[1_700_000_000_000, 3]] }] } },
      {
        query: { window: 'all', points: '500' },
        response: { since: 1_700_000_000_000, bucketMs: 7_200, series: [{ nodeId: 'a1', name: 'node-1', points: [[1_700_000_000_000, 3]] }] },
      },
    ],
  }),
  nodeDetail: defineRoute({
    method: 'get',
    path: '/api/nodes/{id}',
    summary: 'One node (by id or name): status, history, peers, alerts, reorgs',
    tags: ['network'],
    auth: 'public',
    params: NodeIdParams,
    response: NodeDetailResponseSchema,
    status: 200,
    examples: [{ params: { id: 'node-1' } }],
  }),
  nodePeers: defineRoute({
    method: 'get',
    path: '/api/nodes/{id}/peers',
    summary: "One node's (by id or name) links as it last reported them: state, RTT, bytes, score, active faults",
    tags: ['network'],
    auth: 'public',
    params: NodeIdParams,
    response: PeersResponseSchema,
    status: 200,
    examples: [{ params: { id: 'node-1' }, response: { links: [], polledAt: null } }],
  }),
  blocks: defineRoute({
    method: 'get',
    path: '/api/blocks',
    summary: 'Indexed blocks, newest first, a page at a time',
    tags: ['blocks'],
    auth: 'public',
    query: BlocksQuery,
    response: BlocksResponseSchema,
    status: 200,
    invalid: { query: 'BAD_QUERY' },
    examples: [{ query: { limit: '25' } }, { query: { limit: '10', before: '100' }, response: { blocks: [], nextBefore: null } }],
  }),
  block: defineRoute({
    method: 'get',
    path: '/api/blocks/{id}',
    summary: 'A block by height or hash, with its transactions, children, siblings and (BFT) the commit that decided it',
    tags: ['blocks'],
    auth: 'public',
    params: BlockIdParams,
    response: BlockResponseSchema,
    status: 200,
    invalid: { params: 'BAD_BLOCK_ID' },
    examples: [
      { params: { id: exampleHash } },
      {
        params: { id: '42' },
        response: {
          block: {
            hash: exampleHash,
            height: 42,
            parentHash: 'cd'.repeat(32),
            proposer: '01'.repeat(32),
            proposerName: 'node-1',
            timestamp: 1_700_000_000_000,
            txCount: 0,
            sizeBytes: 612,
            firstSeenAt: 1_700_000_000_450,
            firstSeenBy: 'node-1-id',
            nodes: ['node-1-id', 'node-2-id', 'node-3-id', 'node-4-id'],
            orphaned: false,
            txRoot: '00'.repeat(32),
            signature: 'ef'.repeat(64),
            slot: 1_700_000_000,
            txs: [],
            children: [],
            siblings: [],
            commit: {
              round: 0,
              signers: [
                { publicKey: '01'.repeat(32), name: 'node-1' },
                { publicKey: '02'.repeat(32), name: 'node-2' },
                { publicKey: '03'.repeat(32), name: null },
              ],
              signatures: 3,
              validators: 4,
              quorum: 3,
              finalizedAfterMs: 450,
            },
            receipts: [
              { nodeId: 'node-1-id', name: 'node-1', acceptedAt: 1_700_000_000_012.25, afterFirstMs: 0, holds: true },
              { nodeId: 'node-2-id', name: 'node-2', acceptedAt: 1_700_000_000_015.5, afterFirstMs: 3.25, holds: true },
              { nodeId: 'node-3-id', name: 'node-3', acceptedAt: null, afterFirstMs: null, holds: true },
              { nodeId: 'node-4-id', name: 'node-4', acceptedAt: null, afterFirstMs: null, holds: false },
            ],
          },
        },
      },
    ],
  }),
  propagation: defineRoute({
    method: 'get',
    path: '/api/propagation',
    summary:
      "How fast the last N blocks reached every node (each node's delay after a block's first receipt: histogram, per-node median and p95) and the stale rate over the last N heights",
    tags: ['blocks'],
    auth: 'public',
    query: PropagationQuery,
    response: PropagationResponseSchema,
    status: 200,
    invalid: { query: 'BAD_PROPAGATION_QUERY' },
    examples: [{ query: {} }, { query: { blocks: '500' } }],
  }),
  tx: defineRoute({
    method: 'get',
    path: '/api/txs/{hash}',
    summary: 'A transaction and every indexed block that includes it',
    tags: ['blocks'],
    auth: 'public',
    params: TxHashParams,
    response: TxResponseSchema,
    status: 200,
    invalid: { params: 'BAD_TX_HASH' },
    examples: [{ params: { hash: exampleHash } }],
  }),
  account: defineRoute({
    method: 'get',
    path: '/api/accounts/{address}',
    summary:
      "An account: its balance and nonce as of each node's head (asked of the nodes; they differ under a fork) and its indexed activity. Any well-formed address is an account: one without activity is a 200 with zeros",
    tags: ['blocks'],
    auth: 'public',
    params: AccountParams,
    response: AccountResponseSchema,
    status: 200,
    invalid: { params: 'BAD_ADDRESS' },
    examples: [
      {
        params: { address: 'cd'.repeat(32) },
        response: {
          account: {
            address: 'cd'.repeat(32),
            nodeNames: [],
            nodes: [
              { nodeId: 'node-1-id', name: 'node-1', status: 'reported', head: { height: 42, hash: exampleHash }, balance: 999_995, nonce: 1, error: null, differs: false },
              { nodeId: 'node-2-id', name: 'node-2', status: 'unreachable', head: null, balance: null, nonce: null, error: 'node did not answer', differs: false },
            ],
            agreement: 'agree',
            activity: { sent: 1, received: 0, countCap: 10_000, lastHeight: 40 },
            readAt: 1_700_000_000_000,
          },
        },
      },
    ],
  }),
  accountTxs: defineRoute({
    method: 'get',
    path: '/api/accounts/{address}/txs',
    summary: "An account's transactions in and out, newest first, a page at a time (each inclusion, marked when its block is orphaned)",
    tags: ['blocks'],
    auth: 'public',
    params: AccountParams,
    query: AccountTxsQuery,
    response: AccountTxsResponseSchema,
    status: 200,
    invalid: { params: 'BAD_ADDRESS', query: 'BAD_CURSOR' },
    examples: [
      { params: { address: 'cd'.repeat(32) }, query: { limit: '25' } },
      { params: { address: 'cd'.repeat(32) }, query: { cursor: `40-${exampleHash}-0` }, response: { txs: [], nextCursor: null } },
    ],
  }),
  search: defineRoute({
    method: 'get',
    path: '/api/search',
    summary: 'Where a hash, a height, a node name or an address (or its prefix) leads',
    tags: ['blocks'],
    auth: 'public',
    query: SearchQuery,
    response: SearchResponseSchema,
    status: 200,
    examples: [{ query: { q: '42' }, response: { query: '42', result: { kind: 'block', id: '42', path: '/blocks/42', label: 'Block #42' } } }],
  }),
  forks: defineRoute({
    method: 'get',
    path: '/api/forks',
    summary: 'The block tree of a height range as of a moment, with node tips and reorgs',
    tags: ['forks'],
    auth: 'public',
    query: ForksQuery,
    response: ForksResponseSchema,
    status: 200,
    examples: [{ query: {} }, { query: { from: '10', to: '40', at: '2026-01-01T00:00:00Z' } }],
  }),
  forkPoint: defineRoute({
    method: 'get',
    path: '/api/forks/point',
    summary: "Where two nodes' chains split",
    tags: ['forks'],
    auth: 'public',
    query: ForkPointQuery,
    response: ForkPointResponseSchema,
    status: 200,
    examples: [{ query: { a: 'node-1', b: 'node-2' }, response: { a: 'node-1', b: 'node-2', commonAncestor: { height: 7, hash: exampleHash }, sameBranch: false } }],
  }),
  forkOverview: defineRoute({
    method: 'get',
    path: '/api/forks/overview',
    summary: 'Where the forks are over every indexed height: competing blocks per height and fork-point heights',
    tags: ['forks'],
    auth: 'public',
    response: ForkOverviewResponseSchema,
    status: 200,
    examples: [{ response: { minHeight: 0, maxHeight: 120, sideBlocks: [[41, 1]], forkHeights: [40], truncated: false } }],
  }),
  alerts: defineRoute({
    method: 'get',
    path: '/api/alerts',
    summary: 'Alerts raised by the monitor, newest first',
    tags: ['network'],
    auth: 'public',
    query: AlertsQuery,
    response: AlertsResponseSchema,
    status: 200,
    examples: [{ query: { active: '1' }, response: { alerts: [] } }],
  }),
  events: defineRoute({
    method: 'get',
    path: '/api/events',
    summary: 'The newest lines of the network event feed',
    tags: ['network'],
    auth: 'public',
    query: EventsQuery,
    response: EventsResponseSchema,
    status: 200,
    examples: [
      { query: { limit: '20', exclude: 'head' }, response: { events: [{ id: 'e1', at: 1_700_000_000_000, kind: 'reorg', nodeId: null, message: 'node-2 reorganised 1 block' }] } },
    ],
  }),
  peers: defineRoute({
    method: 'get',
    path: '/api/peers',
    summary: "Every node's view of its links, for the peer graph",
    tags: ['network'],
    auth: 'public',
    response: PeersResponseSchema,
    status: 200,
    examples: [{ response: { links: [], polledAt: null } }],
  }),
  chaos: defineRoute({
    method: 'get',
    path: '/api/chaos',
    summary: 'Active chaos actions and the history',
    tags: ['chaos'],
    auth: 'public',
    response: ChaosResponseSchema,
    status: 200,
    examples: [{ response: { active: [], history: [] } }],
  }),
  applyChaos: defineRoute({
    method: 'post',
    path: '/api/chaos',
    summary: 'Apply a chaos action (partition, latency, loss, pause, kill, heal, …)',
    tags: ['chaos'],
    auth: 'token',
    body: ChaosActionSchema,
    response: ChaosActionResponseSchema,
    status: 201,
    examples: [
      {
        body: {
          kind: 'partition',
          groups: [
            ['node-1', 'node-2'],
            ['node-3', 'node-4'],
          ],
          durationSec: 30,
        },
      },
      { body: { kind: 'latency', target: { node: 'node-2' }, delayMs: 200, jitterMs: 50 } },
      { body: { kind: 'pause', select: { pick: 'minority' }, seed: 7, durationSec: 30 } },
      { body: { kind: 'heal' } },
    ],
  }),
  scenarios: defineRoute({
    method: 'get',
    path: '/api/scenarios',
    summary: 'Example scenario files and recent runs',
    tags: ['chaos'],
    auth: 'public',
    response: ScenariosResponseSchema,
    status: 200,
    examples: [{ response: { examples: [], runs: [] } }],
  }),
  runScenario: defineRoute({
    method: 'post',
    path: '/api/scenarios/run',
    summary: "Start a scenario run: an example file's name or a whole scenario (409 SCENARIO_RUNNING while one runs)",
    tags: ['chaos'],
    auth: 'token',
    body: ScenarioRunRequestSchema,
    response: ScenarioRunResponseSchema,
    status: 201,
    bodyLimit: 256 * 1024,
    // The whole scenario is checked here: a step's index and field name the first problem.
    invalid: { body: 'SCENARIO_INVALID' },
    examples: [{ body: { file: 'split-brain.json' } }, { body: { scenario: { name: 'quick', steps: [{ at: 0, expect: { kind: 'agreement', withinSec: 10 } }] } } }],
  }),
  cancelScenario: defineRoute({
    method: 'post',
    path: '/api/scenarios/{id}/cancel',
    summary: 'Cancel a running scenario: it stops before its next step, heals, and is recorded as cancelled (404 unknown run, 409 not running)',
    tags: ['chaos'],
    auth: 'token',
    params: RunIdParams,
    response: ScenarioRunResponseSchema,
    status: 200,
    examples: [
      {
        params: { id: '7' },
        response: {
          run: {
            id: 7,
            name: 'split-brain',
            actor: 'browser-session',
            startedAt: 1_700_000_000_000,
            finishedAt: 1_700_000_012_000,
            status: 'cancelled',
            report: { name: 'split-brain', startedAt: 1_700_000_000_000, finishedAt: 1_700_000_012_000, passed: false, cancelled: true, steps: [] },
            error: null,
          },
        },
      },
    ],
  }),
  runs: defineRoute({
    method: 'get',
    path: '/api/runs',
    summary: 'Recorded runs (experiments, scenarios, chaos soaks), newest first, with engine, duration, faults and verdict',
    tags: ['runs'],
    auth: 'public',
    query: RunsQuerySchema,
    response: RunsResponseSchema,
    status: 200,
    examples: [{ query: {} }, { query: { limit: '10', kind: 'experiment' } }],
  }),
  run: defineRoute({
    method: 'get',
    path: '/api/runs/{id}',
    summary: 'One recorded run whole: manifest, seed, resolved schedule, faults, head history, alerts, verdict (404 RUN_NOT_FOUND)',
    tags: ['runs'],
    auth: 'public',
    params: RunIdParams,
    response: RunResponseSchema,
    status: 200,
    examples: [{ params: { id: '1' } }],
  }),
  exportRun: defineRoute({
    method: 'get',
    path: '/api/runs/{id}/export',
    summary: 'One recorded run as a self-contained file, to import into another instance (POST /api/runs/import)',
    tags: ['runs'],
    auth: 'public',
    params: RunIdParams,
    response: RunFileSchema,
    status: 200,
    examples: [{ params: { id: '1' } }],
  }),
  importRun: defineRoute({
    method: 'post',
    path: '/api/runs/import',
    summary: 'Import an exported run file; its verdict is judged again from its history. A run already here (same uid) is not stored twice (created: false)',
    tags: ['runs'],
    auth: 'token',
    body: RunFileSchema,
    response: ImportRunResponseSchema,
    status: 201,
    bodyLimit: MAX_RUN_FILE_BYTES,
    invalid: { body: 'RUN_FILE_INVALID' },
  }),
  experiments: defineRoute({
    method: 'get',
    path: '/api/experiments',
    summary: "The example experiment files this server can run against the running network (the repo's experiments/ directory)",
    tags: ['runs'],
    auth: 'public',
    response: ExperimentsResponseSchema,
    status: 200,
    examples: [{ response: { examples: [] } }],
  }),
  startRun: defineRoute({
    method: 'post',
    path: '/api/runs',
    summary:
      "Start an experiment against the running network: an example file's name or a whole experiment, and an optional seed (drawn and recorded when absent). " +
      "It runs on the network that runs (its engine and node count are recorded; the file's testnet is a description). 409 RUN_IN_PROGRESS while any run (experiment or scenario) is in progress",
    tags: ['runs'],
    auth: 'token',
    body: StartRunRequestSchema,
    response: StartRunResponseSchema,
    status: 201,
    bodyLimit: 256 * 1024,
    // The whole experiment is checked here: the first problem's path names the field.
    invalid: { body: 'EXPERIMENT_INVALID' },
    examples: [{ body: { file: 'split-brain.json' } }, { body: { file: 'split-brain.json', seed: 2026 } }],
  }),
  cancelRun: defineRoute({
    method: 'post',
    path: '/api/runs/{id}/cancel',
    summary:
      'Cancel the run in progress (an experiment or a scenario): it stops before its next step, heals, and is recorded as cancelled with a verdict of unknown at best (404 RUN_NOT_FOUND, 409 RUN_NOT_RUNNING)',
    tags: ['runs'],
    auth: 'token',
    params: RunIdParams,
    response: StartRunResponseSchema,
    status: 200,
    examples: [{ params: { id: '3' } }],
  }),
  session: defineRoute({
    method: 'get',
    path: '/api/session',
    summary: 'Whether this browser is signed in to the controls',
    tags: ['session'],
    auth: 'public',
    response: SessionResponseSchema,
    status: 200,
    examples: [{ response: { authorised: false } }],
  }),
  signIn: defineRoute({
    method: 'post',
    path: '/api/session',
    summary: 'Sign in with the control token; answers an httpOnly session cookie (same-origin browsers only: 403 CROSS_ORIGIN)',
    tags: ['session'],
    auth: 'public',
    sameOrigin: true,
    body: SessionRequestSchema,
    response: SessionResponseSchema,
    status: 200,
    examples: [{ body: { token: 'the-control-token' }, response: { authorised: true } }],
  }),
  signOut: defineRoute({
    method: 'delete',
    path: '/api/session',
    summary: 'Sign out: ends the session and clears its cookie (same-origin browsers only)',
    tags: ['session'],
    auth: 'public',
    sameOrigin: true,
    response: SessionResponseSchema,
    status: 200,
    examples: [{ response: { authorised: false } }],
  }),
};
export type ServerRoutes = typeof serverRoutes;

/** The control plane's error codes for invalid input where a route names none. */
export const SERVER_INVALID_CODES = { params: 'BAD_PARAMS', query: 'BAD_QUERY', body: 'BAD_BODY' } as const;
