// Serves a route table (wire/*-routes.ts) with Hono: one handler per route id (a missing one is
// a type error), input validated by the table's zod schemas, one body reader with a size cap,
// one credential check (sync for a token, async for a session kept in a store), the same-origin
// check of writes a browser makes on its own authority (CSRF), one error shape and status
// policy, and the OpenAPI document of the table.
// Answers are not validated at run time (speed); tests check them against the schemas.
// Plug it into a node:http server with `nodeListener(app)`.
import { OpenAPIHono } from '@hono/zod-openapi';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import type { ErrorIssue } from '../../wire/http/errors.ts';
import type { RouteBody, RouteParams, RouteQuery, RouteResponse, RouteSpec, RouteTable } from '../../wire/http/route.ts';
import { CodedError } from '../coded-error.ts';
import { bearerToken, tokensEqual } from './auth.ts';
import { errorBody, HttpError } from './errors.ts';
import { assertSameOrigin } from './same-origin.ts';
import { registerOpenApi } from './openapi.ts';
import { domainStatus } from './status-policy.ts';

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

const JSON_TYPE = 'application/json; charset=utf-8';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers } });
}

/**
 * A successful answer. Under node:http (nodeListener) it is written straight to the socket's
 * response, skipping a web Response and its stream (the hot path of every read); in process
 * (app.request in tests) it is a Response.
 */
function answer(c: Context, status: number, text: string, headers: Record<string, string>): Response {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return new Response(text, { status, headers });
  outgoing.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  outgoing.end(text);
  return RESPONSE_ALREADY_SENT;
}

function errorResponse(err: HttpError, headers: Record<string, string> = {}): Response {
  return jsonResponse(err.status, errorBody(err.code, err.message, err.issues), headers);
}

/** `/blocks/{id}` → `/blocks/:id` */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function invalid(code: string, what: string, error: z.ZodError): HttpError {
  const issues: ErrorIssue[] = error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
  const first = issues[0];
  return new HttpError(400, code, `${first?.path.join('.') || what}: ${first?.message ?? 'invalid'}`, issues);
}

/** 'application/json; charset=utf-8' → true; text/plain, forms, none → false. */
function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

async function readJson(c: Context, requireJsonType: boolean): Promise<{ empty: boolean; value: unknown }> {
  const text = await c.req.text();
  if (text.trim() === '') return { empty: true, value: undefined };
  const type = c.req.header('content-type');
  if (requireJsonType && !isJsonContentType(type)) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `the request body must be application/json, not ${type ?? 'untyped'}`);
  try {
    return { empty: false, value: JSON.parse(text) };
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'the request body is not valid JSON');
  }
}

/** Whether every %-sequence of a URL part decodes (Hono would otherwise pass a bad one on as it is). */
function decodes(part: string): boolean {
  if (!part.includes('%')) return true;
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/** A 400 when the path or a query pair of the URL carries malformed %-encoding (`/blocks/%E0`, `?q=%`). */
function checkEncoding(url: string): void {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const q = url.indexOf('?', start);
  const path = url.slice(start, q === -1 || q > end ? end : q);
  if (!decodes(path)) throw new HttpError(400, 'BAD_ENCODING', 'the path has malformed %-encoding');
  const query = q === -1 || q > end ? '' : url.slice(q + 1, end);
  if (!query.split('&').every(decodes)) throw new HttpError(400, 'BAD_ENCODING', 'the query string has malformed %-encoding');
}

export function createRouter<T extends RouteTable>(table: T, handlers: Handlers<T>, opts: RouterOptions): OpenAPIHono {
  const app = new OpenAPIHono({ strict: false });
  const readCredential: NonNullable<RouterOptions['credential']> =
    opts.credential ??
    ((header) => {
      const token = bearerToken(header('authorization'));
      return token === null ? null : { token, actor: 'api-token' };
    });
  const verify = opts.verify ?? ((cred: Credential): CredentialVerdict => (tokensEqual(opts.token, cred.token) ? 'valid' : 'wrong'));
  const checkOrigin = (c: Context) => {
    if (opts.ownOrigins) assertSameOrigin((name) => c.req.header(name), opts.ownOrigins(new URL(c.req.url)));
  };

  /** Who the request's credential authorises; throws 401 (none, or no longer valid), 403 (wrong, or an ambient one from another origin). */
  const authenticate = async (c: Context, write: boolean): Promise<string> => {
    const cred = readCredential((name) => c.req.header(name));
    if (cred === null) throw new HttpError(401, 'UNAUTHORIZED', opts.authMessages.missing);
    // Before the credential is looked up: a forged request learns nothing and costs no query.
    if (write && cred.ambient) checkOrigin(c);
    const verdict = await verify(cred);
    if (verdict === 'expired') throw new HttpError(401, 'UNAUTHORIZED', opts.authMessages.expired ?? opts.authMessages.missing);
    if (verdict === 'wrong') throw new HttpError(403, 'FORBIDDEN', opts.authMessages.wrong);
    return cred.actor;
  };

  if (opts.preflight) {
    const headers = opts.preflight;
    app.use('*', async (c, next) => (c.req.method === 'OPTIONS' ? c.body(null, 204, headers) : next()));
  }

  let doc: unknown = null;
  app.get(opts.docPath, () =>
    jsonResponse(
      200,
      (doc ??= app.getOpenAPIDocument({ openapi: '3.0.3', info: { title: opts.title, version: opts.version, description: opts.description } })),
      opts.publicHeaders,
    ),
  );

  const methodsByPath = new Map<string, string[]>();
  for (const [id, spec] of Object.entries(table)) {
    const path = honoPath(spec.path);
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), spec.method.toUpperCase()]);
    registerOpenApi(app.openAPIRegistry, id, spec);
    const handler = handlers[id] as RouteHandler<RouteSpec>;
    const limit = bodyLimit({
      maxSize: spec.bodyLimit ?? opts.bodyLimit,
      // The body is refused unread, so the connection cannot carry another request: say so,
      // rather than answer keep-alive and drop it under the client's next request.
      onError: () => errorResponse(new HttpError(413, 'BODY_TOO_LARGE', `request body over ${spec.bodyLimit ?? opts.bodyLimit} bytes`), { connection: 'close' }),
    });
    const codes = { ...opts.invalidCodes, ...spec.invalid };
    const extraHeaders = spec.auth === 'public' && spec.method === 'get' ? (opts.publicHeaders ?? {}) : {};

    // The auth step runs first: a request without the token learns nothing else (not even 413).
    // A route marked sameOrigin (sign-in, sign-out) checks the origin whatever the credential.
    const write = spec.method !== 'get';
    const authStep = async (c: Context, next: () => Promise<void>): Promise<void> => {
      if (spec.sameOrigin) checkOrigin(c);
      if (spec.auth === 'token') c.set('actor', await authenticate(c, write));
      await next();
    };

    const run = async (c: Context): Promise<Response> => {
      checkEncoding(c.req.url);
      const header = (name: string) => c.req.header(name);
      const actor = spec.auth === 'token' ? (c.get('actor') as string) : null;
      const params = spec.params ? parse(spec.params, c.req.param(), codes.params, 'params') : undefined;
      const query = spec.query ? parse(spec.query, c.req.query(), codes.query, 'query') : undefined;
      let body: unknown;
      if (spec.body) {
        const raw = await readJson(c, opts.requireJsonContentType ?? false);
        const parsed = spec.body.safeParse(raw.value);
        if (!parsed.success) {
          if (raw.empty) throw new HttpError(400, 'BODY_MISSING', 'expected a JSON body');
          throw invalid(codes.body, 'body', parsed.error);
        }
        body = parsed.data;
      }
      const headers: Record<string, string> = { ...extraHeaders };
      const result = await handler({
        params,
        query,
        body,
        actor,
        authorised: async () => {
          // A malformed credential (e.g. a cookie that does not decode) is no credential here.
          const cred = credentialOrNull(readCredential, header);
          return cred !== null && (await verify(cred)) === 'valid';
        },
        header,
        setHeader: (name, value) => void (headers[name.toLowerCase()] = value),
      } as RequestContext<RouteSpec>);
      if (spec.format === 'text') return answer(c, spec.status, result as string, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
      return answer(c, spec.status, JSON.stringify(result), { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers });
    };
    // Only token and same-origin routes pay for the auth step, only routes with a body for the size cap.
    const method = spec.method.toUpperCase();
    const guarded = spec.auth === 'token' || (spec.sameOrigin ?? false);
    if (guarded && spec.body) app.on(method, path, authStep, limit, run);
    else if (guarded) app.on(method, path, authStep, run);
    else if (spec.body) app.on(method, path, limit, run);
    else app.on(method, path, run);
  }

  // A known path with another method: 405 and the methods it has.
  for (const [path, methods] of methodsByPath) {
    const allow = [...new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods)].join(', ');
    app.all(path, (c) => errorResponse(new HttpError(405, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}`), { allow }));
  }

  app.notFound((c) => errorResponse(new HttpError(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)));

  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(err);
    // Decoding a client's bytes is the client's error, wherever it surfaces: a 400, never logged as ours.
    if (err instanceof URIError) return errorResponse(new HttpError(400, 'BAD_ENCODING', `malformed %-encoding: ${err.message}`));
    if (err instanceof CodedError) return errorResponse(new HttpError(domainStatus(err.code), err.code, err.message));
    const failure = opts.unexpected?.(err, c.req.path) ?? { status: 500, code: 'INTERNAL', message: 'internal error' };
    opts.onUnexpected?.(err, { method: c.req.method, path: c.req.path, status: failure.status });
    return errorResponse(new HttpError(failure.status, failure.code, failure.message));
  });

  return app;
}

function credentialOrNull(read: (header: (name: string) => string | undefined) => Credential | null, header: (name: string) => string | undefined): Credential | null {
  try {
    return read(header);
  } catch (err) {
    if (err instanceof HttpError) return null;
    throw err;
  }
}

function parse(schema: z.ZodType, value: unknown, code: string, what: string): unknown {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(code, what, r.error);
  return r.data;
}

/** A node:http request listener serving the app (Node's own Request/Response stay untouched). */
export function nodeListener(app: { fetch: (req: Request) => Response | Promise<Response> }): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener(app.fetch, {
    overrideGlobalObjects: false,
    // A target or Host no URL can be built from (`GET http://[/x`, `GET *`) is refused before the
    // app runs; it gets the one coded error body too, not an empty 400.
    errorHandler: (err) =>
      (err as Error | null)?.name === 'RequestError'
        ? errorResponse(new HttpError(400, 'BAD_REQUEST', 'the request target or Host header does not form a URL'), { connection: 'close' })
        : errorResponse(new HttpError(500, 'INTERNAL', 'internal error')),
  });
  // The listener answers the app's own errors; what is left to reject is a socket that broke
  // while the answer was written, and all that remains to do with it is to close it.
  return (req, res) => {
    listener(req, res).catch(() => res.destroy());
  };
}
