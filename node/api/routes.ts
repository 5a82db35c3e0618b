// Request routing for the node's HTTP API: public reads (/health, /blocks, /peers, /metrics),
// tx submission, and the bearer-token admin endpoints that are the only way to inject faults.
import crypto from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { LinkRuleSchema, TxSchema } from '../../wire/node-api.ts';
import { ApiError, sendJson } from './http-errors.ts';
import type { NodeView } from './node-view.ts';

const MAX_BODY = 1024 * 1024;
const PUBLIC_HEADERS = { 'access-control-allow-origin': '*' };

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'BODY_TOO_LARGE', `body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BAD_JSON', 'request body is not valid JSON');
  }
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'BAD_REQUEST', z.prettifyError(r.error));
  return r.data;
}

function intParam(url: URL, name: string, dflt: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, 'BAD_REQUEST', `${name} must be a non-negative integer`);
  return Math.min(max, Math.max(min, Number(raw)));
}

function checkAdmin(req: http.IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  if (!header) throw new ApiError(401, 'UNAUTHORIZED', 'admin endpoints need Authorization: Bearer <token>');
  const m = /^Bearer\s+(.+)$/i.exec(header);
  const given = Buffer.from(m?.[1]?.trim() ?? '');
  const want = Buffer.from(token);
  if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) throw new ApiError(403, 'FORBIDDEN', 'wrong admin token');
}

const RulesBody = z.object({ rules: z.array(LinkRuleSchema).max(1000) });
const ClockBody = z.object({ offsetMs: z.number().int().min(-86_400_000).max(86_400_000) });

/** Handles one request; throws ApiError (or anything, mapped to 500 by the server). */
export async function route(req: http.IncomingMessage, res: http.ServerResponse, api: NodeView, adminToken: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';

  if (path.startsWith('/admin/') || path === '/admin') {
    checkAdmin(req, adminToken);
    if (method === 'GET' && path === '/admin/chaos') return sendJson(res, 200, api.chaos());
    if (method === 'PUT' && path === '/admin/chaos/rules') return sendJson(res, 200, api.setLinkRules(parseBody(RulesBody, await readJson(req)).rules));
    if (method === 'POST' && path === '/admin/pause') return sendJson(res, 200, api.pause());
    if (method === 'POST' && path === '/admin/resume') return sendJson(res, 200, api.resume());
    if (method === 'PUT' && path === '/admin/clock') return sendJson(res, 200, api.setClockOffset(parseBody(ClockBody, await readJson(req)).offsetMs));
    if (method === 'POST' && path === '/admin/txs') return submitTx(req, res, api);
    throw new ApiError(404, 'NOT_FOUND', `no admin route ${method} ${path}`);
  }

  if (method === 'POST' && path === '/txs') return submitTx(req, res, api);
  if (method === 'OPTIONS') {
    res.writeHead(204, { ...PUBLIC_HEADERS, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' });
    res.end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} ${path} is not supported`);

  if (path === '/health') return sendJson(res, 200, api.health(), PUBLIC_HEADERS);
  if (path === '/peers') return sendJson(res, 200, { peers: api.peers() }, PUBLIC_HEADERS);
  if (path === '/metrics') {
    const text = await api.metricsText();
    res.writeHead(200, { 'content-type': api.metricsContentType, 'cache-control': 'no-store' });
    res.end(text);
    return;
  }
  if (path === '/blocks') {
    const from = intParam(url, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(url, 'limit', 100, 1, 500);
    return sendJson(res, 200, { blocks: api.blocksFrom(from, limit), head: api.head() }, PUBLIC_HEADERS);
  }
  const m = /^\/blocks\/([^/]+)$/.exec(path);
  if (m) {
    const id = m[1].toLowerCase();
    let block;
    if (/^[0-9a-f]{64}$/.test(id)) block = api.blockByHash(id);
    else if (/^\d{1,15}$/.test(id)) block = api.blockByHeight(Number(id));
    else throw new ApiError(400, 'BAD_REQUEST', 'expected a 64-hex block hash or a height');
    if (!block) throw new ApiError(404, 'BLOCK_NOT_FOUND', `no block ${id}`);
    return sendJson(res, 200, block, PUBLIC_HEADERS);
  }
  if (path === '/') {
    return sendJson(res, 200, { endpoints: ['/health', '/blocks?from=&limit=', '/blocks/:hashOrHeight', '/peers', '/metrics', 'POST /txs', 'WS /stream', 'WS /p2p', '/admin/* (bearer token)'] }, PUBLIC_HEADERS);
  }
  throw new ApiError(404, 'NOT_FOUND', `no route ${method} ${path}`);
}

async function submitTx(req: http.IncomingMessage, res: http.ServerResponse, api: NodeView): Promise<void> {
  const tx = parseBody(TxSchema, await readJson(req));
  api.submitTx(tx);
  sendJson(res, 202, { hash: tx.hash, status: 'pending' });
}
