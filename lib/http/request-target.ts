// The absolute URL of an HTTP/1 request, from its target and Host header, with the rules the
// API kept when it ran on @hono/node-server (so every target answers as before): an
// origin-form target (`/blocks?x=1`) is joined to `http://<Host>` as it is when it holds only
// plain characters and no dot segment (the hot path: no URL object), else normalised by the
// WHATWG URL parser (dot segments resolved, odd characters %-encoded); an absolute-form target
// (`http://host/x`) is parsed as it is. No Host, a Host the URL parser would rewrite, a
// backslash in the path, `*` or anything else that forms no URL: a BadTargetError (the router
// answers 400 BAD_REQUEST).

/** The request target or Host header forms no URL. */
export class BadTargetError extends Error {
  override readonly name = 'BadTargetError';
}

/** Targets that are taken as they are: only characters the URL parser leaves alone. */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
/** `/.`, `/..` segments, which the URL parser resolves. */
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** A lower-case host name or address with an optional port the URL parser leaves alone. */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** A backslash before the query would be read as `/` by the URL parser: refused instead. */
function assertNoBackslashInPath(target: string): void {
  const backslash = target.indexOf('\\');
  if (backslash === -1) return;
  const query = target.indexOf('?');
  if (query === -1 || backslash < query) throw new BadTargetError('backslash in the request path');
}

function parse(url: string, what: string): URL {
  try {
    return new URL(url);
  } catch (err) {
    throw new BadTargetError(`${what}: ${(err as Error).message}`);
  }
}

/** `http://<host><target>`, as the router sees a request; throws BadTargetError. */
export function requestHref(target: string, host: string | undefined, scheme: 'http' | 'https'): string {
  if (target[0] !== '/' && (target.startsWith('http://') || target.startsWith('https://'))) {
    assertNoBackslashInPath(target);
    return parse(target, 'invalid absolute URL').href;
  }
  if (!host) throw new BadTargetError('missing Host header');
  const url = `${scheme}://${host}${target}`;
  if (!PLAIN_HOST.test(host)) {
    assertNoBackslashInPath(target);
    const parsed = parse(url, 'invalid URL');
    const hostname = parsed.hostname;
    // The parser turned the Host into another name (e.g. `a@b`, `a/b`): not a host we can vouch for.
    if (hostname.length !== host.length && hostname !== (host.includes(':') ? host.replace(/:\d+$/, '') : host).toLowerCase()) {
      throw new BadTargetError('invalid Host header');
    }
    return parsed.href;
  }
  if (target.length === 0) return `${url}/`;
  if (target[0] !== '/') throw new BadTargetError(`request target ${JSON.stringify(target.slice(0, 40))} is not a path`);
  if (!PLAIN_TARGET.test(target) || DOT_SEGMENT.test(target)) {
    assertNoBackslashInPath(target);
    return parse(url, 'invalid URL').href;
  }
  return url;
}
