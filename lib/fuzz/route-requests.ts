// Fuzzing a route table (wire/*-routes.ts) through the real router: requests generated from
// each route's documented examples with one part broken (params, query, body, method, token,
// cookie), plus paths no route has, and the answer checks every request must pass: no 5xx,
// and every 4xx is the one JSON error body with a code. Known defects still being fixed
// elsewhere are listed in known-open.ts, not skipped silently.
import fc from 'fast-check';
import type { RouteSpec, RouteTable } from '../../wire/http/route.ts';
import { jsonText, mutated, weirdString, weirdText, weirdValue } from './generators.ts';
import { knownOpen } from './known-open.ts';

/** One HTTP request, as sent (path and query raw: %-sequences stay as generated). */
export interface FuzzRequest {
  route: string | null;
  method: string;
  /** Path and query string, e.g. `/api/blocks/%E0?limit=1`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

export interface RouteFuzzOptions {
  /** The right token (bearer), so token routes are fuzzed past their auth step too. */
  token: string;
  /** A session cookie that authorises token routes (the control plane's browser session), if any. */
  sessionCookie?: { name: string; value: string };
  /** Prefix of unknown paths to try, e.g. '/api/'. */
  prefix: string;
  /** Valid inputs beyond the table's examples (e.g. a really signed transaction), per route id. */
  extraExamples?: Record<string, Array<{ params?: Record<string, string>; query?: Record<string, string>; body?: unknown }>>;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** A string as it may appear in a URL: percent-encoded, or raw (its %-sequences kept, unsafe bytes encoded). */
function urlPart(s: string, raw: boolean): string {
  let out = '';
  if (!raw) {
    for (const ch of s) out += encodeURIComponentSafe(ch);
    return out;
  }
  for (const ch of s) out += /^[A-Za-z0-9%._~!$'()*+,;=:@-]$/.test(ch) ? ch : encodeURIComponentSafe(ch);
  return out;
}

function encodeURIComponentSafe(ch: string): string {
  try {
    return encodeURIComponent(ch);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, written as the bytes a careless encoder would send
  }
}

const stringMap = (valid: Record<string, string>): fc.Arbitrary<Array<[string, string]>> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(Object.entries(valid)) },
    {
      weight: 4,
      arbitrary: mutated(valid).map((m) => {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) return [['', jsonText(m)] as [string, string]];
        return Object.keys(m).map((k): [string, string] => {
          const v = (m as Record<string, unknown>)[k];
          return [k, typeof v === 'string' ? v : jsonText(v)];
        });
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...Object.keys(valid), 'x'), weirdString), weirdString), { maxLength: 4 })
        .map((extra) => [...Object.entries(valid), ...extra]),
    },
  );

/** Header values node:http refuses to send (controls, non-Latin-1) are %-encoded instead. */
function headerSafe(v: string): string {
  return v.replace(/[^\t\x20-\x7e\x80-\xff]/gu, (c) => encodeURIComponentSafe(c));
}

function fillPathRaw(path: string, params: Array<[string, string]>, raw: boolean): string {
  const byName = new Map(params);
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => urlPart(byName.get(name) ?? '', raw));
}

function requestFor(id: string, spec: RouteSpec, opts: RouteFuzzOptions): fc.Arbitrary<FuzzRequest> {
  const examples = [...(spec.examples ?? []), ...(opts.extraExamples?.[id] ?? [])];
  const seed = examples.length > 0 ? fc.constantFrom(...examples) : fc.constant({} as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown });
  const auth = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${opts.token}` }) },
    { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
    { weight: 1, arbitrary: weirdString.map((t) => ({ authorization: `Bearer ${t}` })) },
    { weight: 1, arbitrary: weirdString.map((t) => ({ authorization: t })) },
    ...(opts.sessionCookie
      ? [
          { weight: 1, arbitrary: fc.constant({ cookie: `${opts.sessionCookie.name}=${opts.sessionCookie.value}` }) },
          { weight: 1, arbitrary: weirdString.map((t) => ({ cookie: `${opts.sessionCookie!.name}=${urlPart(t, true)}` })) },
          { weight: 1, arbitrary: weirdString.map((t) => ({ cookie: urlPart(t, true) })) },
        ]
      : []),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
    'application/x-www-form-urlencoded',
  );
  const body = spec.body
    ? fc.oneof(
        { weight: 6, arbitrary: seed.chain((ex) => mutated(ex.body ?? {})).map((b) => jsonText(b)) },
        { weight: 1, arbitrary: weirdText },
        { weight: 1, arbitrary: weirdValue.map((v) => jsonText(v)) },
        { weight: 1, arbitrary: fc.constantFrom('', 'null', '{}', '[]', ' ', 'x'.repeat(300 * 1024)) },
      )
    : fc.option(weirdText, { nil: undefined, freq: 6 });
  return fc
    .record({
      ex: seed,
      paramsRaw: fc.boolean(),
      queryRaw: fc.boolean(),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(spec.method.toUpperCase()) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      auth,
      contentType,
      body,
    })
    .chain((r) =>
      fc.record({
        params: stringMap(r.ex.params ?? {}),
        query: stringMap(r.ex.query ?? {}),
        r: fc.constant(r),
      }),
    )
    .map(({ params, query, r }) => {
      const qs = query.map(([k, v]) => `${urlPart(k, r.queryRaw)}=${urlPart(v, r.queryRaw)}`).join('&');
      const headers: Record<string, string> = Object.fromEntries(Object.entries(r.auth).map(([k, v]) => [k, headerSafe(v)]));
      if (r.contentType) headers['content-type'] = r.contentType;
      const sendsBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
      return { route: id, method: r.method, url: `${fillPathRaw(spec.path, params, r.paramsRaw)}${qs ? `?${qs}` : ''}`, headers, ...(sendsBody ? { body: r.body } : {}) };
    });
}

/** Requests for every route of a table, and for paths it does not have. */
export function routeRequests(table: RouteTable, opts: RouteFuzzOptions): fc.Arbitrary<FuzzRequest> {
  const perRoute = Object.entries(table).map(([id, spec]) => requestFor(id, spec, opts));
  const unknownPath = fc
    .record({ parts: fc.array(weirdString, { minLength: 1, maxLength: 3 }), raw: fc.boolean(), method: fc.constantFrom(...METHODS) })
    .map(({ parts, raw, method }): FuzzRequest => ({ route: null, method, url: opts.prefix + parts.map((p) => urlPart(p, raw)).join('/'), headers: {} }));
  return fc.oneof({ weight: 8, arbitrary: fc.oneof(...perRoute) }, { weight: 1, arbitrary: unknownPath });
}

/** What is wrong with an answer (empty when nothing is): 5xx, or a 4xx without the coded JSON error body. */
export function answerProblems(req: FuzzRequest, res: FuzzAnswer): string[] {
  const problems: string[] = [];
  if (res.status >= 500) {
    const known = knownOpen(req, res);
    if (!known) problems.push(`${res.status} ${res.text.slice(0, 300)}`);
    return problems;
  }
  // node:http refuses a request head over its 16 KiB limit itself (431, no body): the router never sees it.
  const headBytes = req.url.length + Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  if (res.status === 431 && headBytes > 16 * 1024 - 512) return problems; // Host, Connection and framing headers come on top
  if (res.status >= 400 && req.method !== 'HEAD') {
    let body: { error?: { code?: unknown; message?: unknown } } | null = null;
    try {
      body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } } | null;
    } catch {
      problems.push(`${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`);
    }
    if (body && (typeof body.error?.code !== 'string' || body.error.code === '' || typeof body.error.message !== 'string')) {
      problems.push(`${res.status} without {error: {code, message}}: ${res.text.slice(0, 200)}`);
    }
    if (!res.contentType.includes('application/json')) problems.push(`${res.status} answered as ${res.contentType || 'no content type'}`);
  }
  return problems;
}

/** Sends a request through `send` and throws with the request when its answer breaks a rule. */
let previous: FuzzRequest | null = null;

/** The request sent before on the same connections: an answer may be spoilt by what it left on the socket. */
function describePrevious(before: FuzzRequest | null): string {
  if (!before) return '';
  return ` (request before: ${before.method} ${before.url.slice(0, 200)} ${JSON.stringify(before.headers).slice(0, 300)} body ${before.body?.length ?? 0} chars: ${before.body?.slice(0, 200) ?? ''})`;
}

export async function checkRequest(req: FuzzRequest, send: (req: FuzzRequest) => Promise<FuzzAnswer>): Promise<FuzzAnswer> {
  const before = previous;
  previous = req;
  let res: FuzzAnswer;
  try {
    res = await send(req);
  } catch (err) {
    // A connection-level failure may come from what the request before left on the socket.
    throw new Error(`${req.method} ${req.url.slice(0, 300)} → ${(err as Error).message}${describePrevious(before)}`, { cause: err });
  }
  const problems = answerProblems(req, res);
  if (problems.length > 0) throw new Error(`${req.method} ${req.url.slice(0, 300)} → ${problems.join('; ')}${describePrevious(before)}`);
  return res;
}
