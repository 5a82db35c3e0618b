// Serves a route table (wire/*-routes.ts): one handler per route id (a missing one is a type
// error), input validated by the table's zod schemas, one body reader with a size cap, one
// credential check (sync for a token, async for a session kept in a store), the same-origin
// check of writes a browser makes on its own authority (CSRF), one error shape and status
// policy, and the OpenAPI document of the table.
// Plain code over node:http, no web framework: a web Request/Response would load Node's fetch
// implementation (undici, ~9 MB of a node daemon's RSS) for every process serving an API.
// The router answers a transport-neutral request (RouterRequest); node-listener.ts plugs it
// into a node:http server, in-process.ts into tests (app.request, with a web Response).
// Answers are not validated at run time (speed); tests check them against the schemas.
import type { z } from 'zod';
import type { ErrorIssue } from '../../wire/http/errors.ts';
import type { RouteBody, RouteParams, RouteQuery, RouteResponse, RouteSpec, RouteTable } from '../../wire/http/route.ts';
import { CodedError } from '../coded-error.ts';
import { bearerToken, tokensEqual } from './auth.ts';
import { assertDeclaredLength } from './body-reader.ts';
import { HttpError } from './errors.ts';
import { errorAnswer, jsonAnswer, JSON_TYPE, TEXT_TYPE, type RouterAnswer, type RouterRequest } from './exchange.ts';
import { requestInProcess } from './in-process.ts';
import { openApiDocument } from './openapi.ts';
import { compilePath, matchPath, pathSegments, routedPath, type PathPattern } from './path-matcher.ts';
import { assertSameOrigin } from './same-origin.ts';
import { domainStatus } from './status-policy.ts';
import { assertWellEncoded, displayPath, parseQuery, urlParts, type UrlParts } from './url-parts.ts';

export { nodeListener } from './node-listener.ts';
export type { RouterAnswer, RouterRequest } from './exchange.ts';

export interface RequestContext<S extends RouteSpec> {
  params: RouteParams<S>;
  query: RouteQuery<S>;
  body: RouteBody<S>;
  /** Who passed the token check ('token' routes), e.g. 'api-token'; null on public routes. */
  actor: string | null;
  /** Whether the request carries a valid credential (for public routes that only want to know). */
  authorised(): Promise<boolean>;
  header(name: string): string | undefined;
  /** Adds a header to the answer (e.g. set-cookie, content-type of a text answer). */
  setHeader(name: string, value: string): void;
}

export type RouteHandler<S extends RouteSpec> = (ctx: RequestContext<S>) => RouteResponse<S> | Promise<RouteResponse<S>>;
export type Handlers<T extends RouteTable> = { [K in keyof T]: RouteHandler<T[K]> };

/** Where a request's credential comes from, and who presented it. */
export interface Credential {
  token: string;
  actor: string;
  /**
   * Sent by the browser on its own (a cookie) rather than chosen by a script (a bearer header):
   * a write carrying it must come from one of the server's own origins (`ownOrigins`), or any
   * page the browser visits could use it (CSRF).
   */
  ambient?: boolean;
}

/** What checking a presented credential found: good, wrong (403), or no longer good (401: e.g. an expired or signed-out session). */
export type CredentialVerdict = 'valid' | 'wrong' | 'expired';

export interface RouterOptions {
  title: string;
  version: string;
  description?: string;
  /** Where the OpenAPI document is served, e.g. '/openapi.json'. */
  docPath: string;
  /** The token of 'token' routes. */
  token: string;
  /** The presented credential, or null when none is (default: the Authorization bearer token). */
  credential?: (header: (name: string) => string | undefined) => Credential | null;
  /** Checks a presented credential; may be async (a session kept in a database). Default: constant-time comparison with `token`. */
  verify?: (cred: Credential) => CredentialVerdict | Promise<CredentialVerdict>;
  /**
   * This server's own origins, for a request (e.g. from its Host header). When given, writes
   * with an ambient credential and routes marked `sameOrigin` must come from one of them
   * (lib/http/same-origin.ts; else 403 CROSS_ORIGIN).
   */
  ownOrigins?: (requestUrl: URL) => readonly string[];
  /**
   * Refuse a non-empty body whose Content-Type is not application/json (415
   * UNSUPPORTED_MEDIA_TYPE): an HTML form, the tool of cross-site forgery, can only send
   * text/plain, urlencoded or multipart bodies without a CORS preflight.
   */
  requireJsonContentType?: boolean;
  /** Messages of the 401 (no credential; `expired`: one no longer valid) and 403 (wrong one) answers. */
  authMessages: { missing: string; wrong: string; expired?: string };
  /** Error codes for invalid params/query/body when a route names none. */
  invalidCodes: { params: string; query: string; body: string };
  /** Request body cap in bytes when a route names none. */
  bodyLimit: number;
  /** Extra headers on successful public GET answers (e.g. CORS). */
  publicHeaders?: Record<string, string>;
  /** Answer OPTIONS on every path with 204 and these headers (CORS preflight); else 405. */
  preflight?: Record<string, string>;
  /** An unexpected error's answer: default 500 INTERNAL (the control plane answers 503 for the database). */
  unexpected?: (err: unknown, path: string) => { status: number; code: string; message: string };
  /** Called once per unexpected error, to log it with context. */
  onUnexpected?: (err: unknown, info: { method: string; path: string; status: number }) => void;
}

export interface Router {
  /** Answers one request; never rejects (every error becomes its coded answer). */
  answer(req: RouterRequest): Promise<RouterAnswer>;
  /** In process, for tests: a path (`/items?x=1`) or URL and fetch's init, answered with a web Response. */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

function invalid(code: string, what: string, error: z.ZodError): HttpError {
  const issues: ErrorIssue[] = error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
  const first = issues[0];
  return new HttpError(400, code, `${first?.path.join('.') || what}: ${first?.message ?? 'invalid'}`, issues);
}

function parse(schema: z.ZodType, value: unknown, code: string, what: string): unknown {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(code, what, r.error);
  return r.data;
}

/** 'application/json; charset=utf-8' → true; text/plain, forms, none → false. */
function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/** The body as JSON; `empty` when it is blank (a leading byte-order mark is dropped, as fetch's text() does). */
function readJson(bytes: Buffer, contentType: string | undefined, requireJsonType: boolean): { empty: boolean; value: unknown } {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { empty: true, value: undefined };
  if (requireJsonType && !isJsonContentType(contentType))
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `the request body must be application/json, not ${contentType ?? 'untyped'}`);
  try {
    return { empty: false, value: JSON.parse(text) };
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'the request body is not valid JSON');
  }
}

function credentialOrNull(read: (header: (name: string) => string | undefined) => Credential | null, header: (name: string) => string | undefined): Credential | null {
  try {
    return read(header);
  } catch (err) {
    if (err instanceof HttpError) return null;
    throw err;
  }
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) out[name] = value.includes('%') ? decodeURIComponent(value) : value;
  return out;
}

/** A route of the table, compiled once. */
interface Route {
  id: string;
  spec: RouteSpec;
  method: string;
  pattern: PathPattern;
  handler: RouteHandler<RouteSpec>;
  codes: { params: string; query: string; body: string };
  bodyLimit: number;
  /** Headers of a successful answer before the handler adds its own. */
  headers: Readonly<Record<string, string>>;
}

export function createRouter<T extends RouteTable>(table: T, handlers: Handlers<T>, opts: RouterOptions): Router {
  const readCredential: NonNullable<RouterOptions['credential']> =
    opts.credential ??
    ((header) => {
      const token = bearerToken(header('authorization'));
      return token === null ? null : { token, actor: 'api-token' };
    });
  const verify = opts.verify ?? ((cred: Credential): CredentialVerdict => (tokensEqual(opts.token, cred.token) ? 'valid' : 'wrong'));
  const checkOrigin = (req: RouterRequest) => {
    if (opts.ownOrigins) assertSameOrigin(req.header, opts.ownOrigins(new URL(req.href)));
  };

  /** Who the request's credential authorises; throws 401 (none, or no longer valid), 403 (wrong, or an ambient one from another origin). */
  const authenticate = async (req: RouterRequest, write: boolean): Promise<string> => {
    const cred = readCredential(req.header);
    if (cred === null) throw new HttpError(401, 'UNAUTHORIZED', opts.authMessages.missing);
    // Before the credential is looked up: a forged request learns nothing and costs no query.
    if (write && cred.ambient) checkOrigin(req);
    const verdict = await verify(cred);
    if (verdict === 'expired') throw new HttpError(401, 'UNAUTHORIZED', opts.authMessages.expired ?? opts.authMessages.missing);
    if (verdict === 'wrong') throw new HttpError(403, 'FORBIDDEN', opts.authMessages.wrong);
    return cred.actor;
  };

  const routes: Route[] = Object.entries(table).map(([id, spec]) => ({
    id,
    spec,
    method: spec.method.toUpperCase(),
    pattern: compilePath(spec.path),
    handler: handlers[id] as RouteHandler<RouteSpec>,
    codes: { ...opts.invalidCodes, ...spec.invalid },
    bodyLimit: spec.bodyLimit ?? opts.bodyLimit,
    headers: spec.auth === 'public' && spec.method === 'get' ? (opts.publicHeaders ?? {}) : {},
  }));

  // A known path with another method: 405 and the methods it has (HEAD wherever GET is).
  // Checked in the table's order, the first path that matches names the methods.
  const knownPaths = new Map<string, { pattern: PathPattern; methods: string[] }>();
  for (const r of routes) {
    const known = knownPaths.get(r.spec.path) ?? { pattern: r.pattern, methods: [] };
    known.methods.push(r.method);
    knownPaths.set(r.spec.path, known);
  }
  const allowed = [...knownPaths.values()].map((k) => ({
    pattern: k.pattern,
    allow: [...new Set(k.methods.includes('GET') ? [...k.methods, 'HEAD'] : k.methods)].join(', '),
  }));

  const docPattern = compilePath(opts.docPath);
  let doc: Promise<RouterAnswer> | null = null;
  const docAnswer = (): Promise<RouterAnswer> =>
    (doc ??= openApiDocument(table, { title: opts.title, version: opts.version, description: opts.description }).then(
      (d) => jsonAnswer(200, d, opts.publicHeaders),
      (err: unknown) => {
        doc = null; // a failed build is retried by the next request, not remembered
        throw err;
      },
    ));

  const serve = async (route: Route, rawParams: Record<string, string>, req: RouterRequest, url: UrlParts): Promise<RouterAnswer> => {
    const { spec } = route;
    // The auth step runs first: a request without the token learns nothing else (not even 413).
    // A route marked sameOrigin (sign-in, sign-out) checks the origin whatever the credential.
    if (spec.sameOrigin) checkOrigin(req);
    const actor = spec.auth === 'token' ? await authenticate(req, spec.method !== 'get') : null;
    // The body is read (under its cap) before anything else of the request is judged.
    let bytes: Buffer | undefined;
    if (spec.body) {
      assertDeclaredLength(req.header, route.bodyLimit);
      bytes = await req.body(route.bodyLimit);
    }
    assertWellEncoded(url);
    const params = spec.params ? parse(spec.params, decodeParams(rawParams), route.codes.params, 'params') : undefined;
    const query = spec.query ? parse(spec.query, parseQuery(url.query), route.codes.query, 'query') : undefined;
    let body: unknown;
    if (spec.body && bytes) {
      const raw = readJson(bytes, req.header('content-type'), opts.requireJsonContentType ?? false);
      const parsed = spec.body.safeParse(raw.value);
      if (!parsed.success) {
        if (raw.empty) throw new HttpError(400, 'BODY_MISSING', 'expected a JSON body');
        throw invalid(route.codes.body, 'body', parsed.error);
      }
      body = parsed.data;
    }
    const headers: Record<string, string> = { ...route.headers };
    const result = await route.handler({
      params,
      query,
      body,
      actor,
      authorised: async () => {
        // A malformed credential (e.g. a cookie that does not decode) is no credential here.
        const cred = credentialOrNull(readCredential, req.header);
        return cred !== null && (await verify(cred)) === 'valid';
      },
      header: req.header,
      setHeader: (name, value) => void (headers[name.toLowerCase()] = value),
    } as RequestContext<RouteSpec>);
    if (spec.format === 'text') return { status: spec.status, headers: { 'content-type': TEXT_TYPE, 'cache-control': 'no-store', ...headers }, body: result as string };
    return { status: spec.status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers }, body: JSON.stringify(result) };
  };

  const dispatch = (req: RouterRequest, url: UrlParts): Promise<RouterAnswer> | RouterAnswer => {
    if (opts.preflight && req.method === 'OPTIONS') return { status: 204, headers: { ...opts.preflight }, body: null };
    const segments = pathSegments(routedPath(url.path));
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (method === 'GET' && matchPath(docPattern, segments)) return docAnswer();
    for (const route of routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.pattern, segments);
      if (params) return serve(route, params, req, url);
    }
    const known = allowed.find((k) => matchPath(k.pattern, segments));
    const path = displayPath(routedPath(url.path));
    if (known) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`, undefined, { allow: known.allow });
    throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${path}`);
  };

  const failure = (err: unknown, req: RouterRequest, url: UrlParts): RouterAnswer => {
    if (err instanceof HttpError) return errorAnswer(err);
    // Decoding a client's bytes is the client's error, wherever it surfaces: a 400, never logged as ours.
    if (err instanceof URIError) return errorAnswer(new HttpError(400, 'BAD_ENCODING', `malformed %-encoding: ${err.message}`));
    if (err instanceof CodedError) return errorAnswer(new HttpError(domainStatus(err.code), err.code, err.message));
    const path = displayPath(routedPath(url.path));
    const f = opts.unexpected?.(err, path) ?? { status: 500, code: 'INTERNAL', message: 'internal error' };
    opts.onUnexpected?.(err, { method: req.method, path, status: f.status });
    return errorAnswer(new HttpError(f.status, f.code, f.message));
  };

  const router: Router = {
    async answer(req) {
      const url = urlParts(req.href);
      try {
        return await dispatch(req, url);
      } catch (err) {
        return failure(err, req, url);
      }
    },
    request: (input, init) => requestInProcess(router, input, init),
  };
  return router;
}
