// The node's HTTP API: the handlers of wire/node-routes.ts, served through the shared router
// (lib/http): public reads (/health, /consensus, /blocks, /peers, /metrics), tx submission, and the
// bearer-token admin endpoints that are the only way to inject faults. Handlers stay thin;
// the NodeView behind them does the work.
import { createRouter, type Handlers } from '../../lib/http/router.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { NODE_INVALID_CODES, nodeRoutes } from '../../wire/node-routes.ts';
import type { Tx } from '../../wire/node-api.ts';
import type { NodeView } from './node-view.ts';

const PUBLIC_HEADERS = { 'access-control-allow-origin': '*' };
const ENDPOINTS = [
  '/health',
  '/consensus',
  '/blocks?from=&limit=',
  '/blocks/:hashOrHeight',
  '/accounts/:address',
  '/peers',
  '/metrics',
  'POST /txs',
  'WS /stream',
  'WS /p2p',
  '/admin/* (bearer token)',
  '/openapi.json',
];

export interface NodeRouterOptions {
  api: NodeView;
  adminToken: string;
  /** Logs an unexpected error once (with method and path). */
  onUnexpected: (err: unknown, info: { method: string; path: string; status: number }) => void;
}

function handlers(api: NodeView): Handlers<typeof nodeRoutes> {
  const submit = ({ body }: { body: Tx }) => {
    api.submitTx(body);
    return { hash: body.hash, status: 'pending' as const };
  };
  return {
    index: () => ({ endpoints: ENDPOINTS }),
    health: () => api.health(),
    consensus: () => api.consensus(),
    blocks: ({ query }) => ({ blocks: api.blocksFrom(query.from, query.limit), head: api.head() }),
    block: ({ params }) => {
      const id = params.id.toLowerCase();
      const block = id.length === 64 ? api.blockByHash(id) : api.blockByHeight(Number(id));
      if (!block) throw new CodedError('BLOCK_NOT_FOUND', `no block ${id}`);
      return block;
    },
    account: ({ params }) => api.account(params.address.toLowerCase()),
    peers: () => ({ peers: api.peers() }),
    metrics: async (ctx) => {
      ctx.setHeader('content-type', api.metricsContentType);
      return api.metricsText();
    },
    submitTx: submit,
    adminChaos: () => api.chaos(),
    adminSetRules: ({ body }) => api.setLinkRules(body.rules),
    adminPause: () => api.pause(),
    adminResume: () => api.resume(),
    adminClock: ({ body }) => api.setClockOffset(body.offsetMs),
    adminByzantine: ({ body }) => api.setByzantine(body.byzantine),
    adminSubmitTx: submit,
  };
}

export function createNodeRouter(opts: NodeRouterOptions) {
  return createRouter(nodeRoutes, handlers(opts.api), {
    title: 'Testnet node API',
    version: '1',
    description: 'One node daemon: chain reads, transaction submission and the admin (fault injection) endpoints. WebSockets: /stream (state events), /p2p (peer links).',
    docPath: '/openapi.json',
    token: opts.adminToken,
    authMessages: { missing: 'admin endpoints need Authorization: Bearer <token>', wrong: 'wrong admin token' },
    invalidCodes: NODE_INVALID_CODES,
    bodyLimit: 1024 * 1024,
    publicHeaders: PUBLIC_HEADERS,
    preflight: { ...PUBLIC_HEADERS, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' },
    onUnexpected: opts.onUnexpected,
  });
}
