// The security headers of every answer of the control plane's HTTP server: a Content Security
// Policy, nosniff, no framing, no referrer. Pages get a policy with a fresh script nonce per
// request; Next.js (App Router) reads that nonce from the request's `content-security-policy`
// header while it renders and puts it on every script it emits, so the same policy is set on
// the request (for Next) and on the response (for the browser). Everything else (/api, the
// Socket.IO transport, the API-only 404) is data, never a document: it gets a policy that
// allows nothing at all.
import '#server-only';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface PagePolicyOptions {
  /** Fresh per request, base64: the only thing that lets an inline script run. */
  nonce: string;
  /** `next dev` (config.nextDev): hot reload and React's dev tooling need more (see below). */
  dev: boolean;
  /** The request's Host header when it is a plain host[:port], for the explicit ws:/wss: sources. */
  host?: string | null;
}

/** Answers that are not documents: nothing may load, nothing may frame them. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A host[:port] or [ipv6][:port]; anything else (a forged Host header) is left out of the policy. */
const HOST_PATTERN = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Host header when it can be written into a policy as is, otherwise null. */
export function policyHost(host: string | undefined): string | null {
  return host && HOST_PATTERN.test(host) ? host.toLowerCase() : null;
}

/** The policy of an explorer page (and of the "building" page). */
export function pagePolicy({ nonce, dev, host }: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': a script runs only if it carries this request's nonce or was loaded by
    // one that does (Next's chunks); 'self' is the fallback for browsers without CSP 3.
    // In dev, React rebuilds server error stacks with eval: 'unsafe-eval' there and only there.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Style attributes are needed: React `style={…}` sets per-node colours (chart swatches,
    // vote cells, partition chips) and they arrive as style="…" in the server-rendered HTML.
    // CSP 3 browsers get them through style-src-attr alone, while <style>/<link> elements stay
    // limited to our origin and the nonce (style-src-elem). 'unsafe-inline' in style-src is
    // only what a browser without style-src-elem/-attr falls back to. In dev, Next's overlay
    // and hot reload inject <style> elements without a nonce.
    "style-src 'self' 'unsafe-inline'",
    dev ? "style-src-elem 'self' 'unsafe-inline'" : `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    // Same-origin fetches, and Socket.IO's WebSocket (and Next's dev HMR socket). CSP 3 lets
    // 'self' match ws:/wss: of the same host; older browsers need the host spelled out.
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** The headers besides the policy, the same on every answer. */
export const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  // frame-ancestors 'none' for browsers that predate it.
  'x-frame-options': 'DENY',
  // No page of ours needs to tell another site where the reader came from.
  'referrer-policy': 'no-referrer',
} as const;

function isDataPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export interface SecureOptions {
  dev: boolean;
  /** false: no explorer behind this server, so no answer is a page. */
  pages: boolean;
}

/**
 * Sets the security headers on `res` before anything is written, and for pages the same
 * policy on the request for Next (replacing any a client sent). Returns the nonce, for
 * documents we write ourselves (the "building" page).
 */
export function secureResponse(req: IncomingMessage, res: ServerResponse, opts: SecureOptions): string {
  const nonce = newNonce();
  const isPage = opts.pages && !isDataPath(req.url ?? '/');
  const policy = isPage ? pagePolicy({ nonce, dev: opts.dev, host: policyHost(req.headers.host) }) : DATA_POLICY;
  if (isPage) {
    req.headers['content-security-policy'] = policy;
    delete req.headers['content-security-policy-report-only'];
  }
  res.setHeader('content-security-policy', policy);
  for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
  return nonce;
}

/** For answers written by someone else with a header object (Socket.IO's engine): data policy. */
export function addDataSecurityHeaders(headers: OutgoingHttpHeaders | Record<string, string>): void {
  Object.assign(headers, { 'content-security-policy': DATA_POLICY, ...COMMON_HEADERS });
}
