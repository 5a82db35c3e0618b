// A follower's API: reads that Postgres answers are served where they arrive; everything that
// needs the leader's live state (monitor, peers, event feed, consensus probes) or changes the
// network (chaos, scenarios, experiments) is forwarded to the leader over HTTP, headers and
// body unchanged, so the leader checks the same credential (bearer token, or a session cookie
// from the shared sessions table) and the same origin (the Host header is kept), and applies
// and records the action once. No leader reachable: 503 NOT_LEADER, which clients retry.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorBody } from '../../lib/http/errors.ts';
import type { ReplicaRef } from './replica-registry.ts';

/** Set on a forwarded request (loop guard) and on every clustered API answer: which replica served it. */
export const FORWARDED_HEADER = 'x-forwarded-by-replica';
export const SERVED_BY_HEADER = 'x-replica';

/** GET routes every replica answers from Postgres alone. */
const LOCAL_READS = [
  /^\/api\/health$/,
  /^\/api\/blocks(\/[^/]+)?$/,
  /^\/api\/txs\/[^/]+$/,
  /^\/api\/search$/,
  // An account's transactions (its balances ask the leader's followed nodes: forwarded).
  /^\/api\/accounts\/[^/]+\/txs$/,
  /^\/api\/alerts$/,
  /^\/api\/nodes\/heights$/,
  /^\/api\/propagation$/,
  /^\/api\/runs(\/[^/]+(\/export)?)?$/,
  /^\/api\/openapi\.json$/,
];

/** Whether a follower answers this request itself (else it goes to the leader). Sessions live in Postgres: signing in and out is local too. */
export function followerAnswersLocally(method: string, url: string): boolean {
  const pathname = url.split('?')[0]!;
  if (pathname === '/api/session') return true;
  return (method === 'GET' || method === 'HEAD') && LOCAL_READS.some((r) => r.test(pathname));
}

export interface ForwardDeps {
  self: ReplicaRef;
  leader: () => Promise<ReplicaRef | null>;
  logger: Logger;
  timeoutMs?: number;
}

export async function forwardToLeader(req: IncomingMessage, res: ServerResponse, deps: ForwardDeps): Promise<void> {
  const notLeader = (message: string) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' });
    res.end(JSON.stringify(errorBody('NOT_LEADER', message)));
  };
  if (req.headers[FORWARDED_HEADER]) return notLeader(`replica ${deps.self.id} is not the leader either (leadership is changing): retry`);
  let leader: ReplicaRef | null;
  try {
    leader = await deps.leader();
  } catch (err) {
    return notLeader(`could not look up the leader: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!leader || leader.id === deps.self.id) return notLeader('no leader at the moment (one takes over within seconds): retry');
  const target = new URL(req.url ?? '/', leader.url);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, [FORWARDED_HEADER]: deps.self.id }, timeout: deps.timeoutMs ?? 60_000 }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('the leader did not answer in time')));
  upstream.on('error', (err) => {
    deps.logger.warn({ err: err.message, leader: leader.url, url: req.url }, 'forwarding to the leader failed');
    notLeader(`the leader (${leader.id} at ${leader.url}) could not be reached: ${err.message}`);
  });
  req.pipe(upstream);
}
