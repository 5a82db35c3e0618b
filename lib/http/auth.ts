// The one token check of every HTTP API: constant-time, so a token cannot be guessed byte by
// byte from answer times. Hosts say where the credential comes from (a node: only the
// Authorization header; the control plane: that or its httpOnly session cookie).
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.ts';

export function tokensEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header: null without the header, '' when it is not a bearer token. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header);
  return m ? m[1].trim() : '';
}

/** One cookie's value from a Cookie header, or null; a value that does not %-decode is a 400 BAD_COOKIE. */
export function cookieValue(header: string | undefined | null, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      throw new HttpError(400, 'BAD_COOKIE', `the ${name} cookie has malformed %-encoding: sign in again`);
    }
  }
  return null;
}
