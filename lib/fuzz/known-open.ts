// KNOWN_OPEN: defects the fuzz tests find that other branches are fixing right now (issue 13,
// "Proof": the router, auth and read-model fixes). Each entry matches exactly the answers of
// one defect, so every other 5xx still fails the fuzz tests. The coordinator deletes each
// entry when its fix is merged; the fuzz tests then prove the fix.
import type { FuzzAnswer, FuzzRequest } from './route-requests.ts';

export interface KnownOpen {
  issue: string;
  what: string;
  matches(req: FuzzRequest, res: FuzzAnswer): boolean;
}

// Empty: the fixes of issue #13's first round (bad %-encoding, heights above int4, dates out of
// range, NUL bytes: wire/bounded-input.ts and the router) are in main, and these fuzz tests now
// prove them. Add an entry (issue, what, an exact matcher) only for a defect being fixed elsewhere.
export const KNOWN_OPEN: KnownOpen[] = [];

/** The known-open defect an answer is an instance of, if any. */
export function knownOpen(req: FuzzRequest, res: FuzzAnswer): KnownOpen | undefined {
  const known = KNOWN_OPEN.find((k) => k.matches(req, res));
  if (known) {
    const key = `${known.issue} (${req.route ?? 'no route'})`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  return known;
}

const hits = new Map<string, number>();

/** How often each known-open defect showed up in this process (printed by the fuzz tests). */
export function knownOpenHits(): Record<string, number> {
  return Object.fromEntries(hits);
}

// Found by these fuzz tests, reported, not fixed here (lib/http/router.ts, @hono/node-server),
// not a 5xx, so not matched above: a request whose body is refused before it is read (413
// BODY_TOO_LARGE) is answered with `connection: keep-alive` and then the connection is dropped,
// so a client's next request on it fails with "socket hang up". The fuzz sender uses a fresh
// connection per request, so it does not trip over it.

/**
 * Found by these fuzz tests, reported (lib/http/router.ts `nodeListener` passes no errorHandler
 * to @hono/node-server's getRequestListener): a request target the listener refuses before the
 * router runs (`GET http://[/health`, `GET *`, a backslash in the path, a bad Host) is answered
 * 400 with an empty body, not the coded JSON error. While this is set, the raw-target fuzzers
 * accept exactly that answer: 400 with no body.
 */
export const EMPTY_400_FROM_NODE_LISTENER: string | null = 'found by fuzz: the node listener answers 400 without a body';

/** An empty (or empty chunked) answer body. */
export function emptyBody(body: string): boolean {
  return body === '' || body === '0\r\n\r\n';
}
