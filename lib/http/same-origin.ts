// Cross-site request forgery defence for writes a browser makes on its own authority (a
// session cookie, or sign-in itself): the request must say it comes from one of the server's
// own origins. SameSite=Strict cookies are not enough: a page on another port of the same host
// is the same *site*, and its auto-submitted form carries the cookie. Browsers send `Origin` on
// every POST/PUT/DELETE and modern ones also `Sec-Fetch-Site`; a write with neither did not
// come from a browser page we can vouch for, so it is refused too.
import { HttpError } from './errors.ts';

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/** 'http://Example.com:80/x' → 'http://example.com'; null when it is not an http(s) origin. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether a write comes from one of `ownOrigins`: `Origin`, when sent, must be one of them;
 * `Sec-Fetch-Site`, when sent, must be 'same-origin'; at least one of the two must be there.
 */
export function checkSameOrigin(header: (name: string) => string | undefined, ownOrigins: readonly string[]): OriginVerdict {
  const origin = header('origin');
  const fetchSite = header('sec-fetch-site');
  if (origin === undefined && fetchSite === undefined) return { ok: false, reason: 'the request names no Origin (nor Sec-Fetch-Site)' };
  if (fetchSite !== undefined && fetchSite.toLowerCase() !== 'same-origin') return { ok: false, reason: `Sec-Fetch-Site is ${fetchSite}` };
  if (origin !== undefined) {
    const given = normaliseOrigin(origin);
    if (given === null || !ownOrigins.includes(given)) return { ok: false, reason: `Origin ${origin} is not this server's (${ownOrigins.join(', ') || 'none known'})` };
  }
  return { ok: true };
}

/** Throws 403 CROSS_ORIGIN unless the request comes from one of `ownOrigins`. */
export function assertSameOrigin(header: (name: string) => string | undefined, ownOrigins: readonly string[]): void {
  const verdict = checkSameOrigin(header, ownOrigins);
  if (!verdict.ok) throw new HttpError(403, 'CROSS_ORIGIN', `refused a write from another origin: ${verdict.reason}`);
}
