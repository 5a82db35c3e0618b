// Who may change the network, as the router's auth step sees it: the control token either as
// `Authorization: Bearer <token>` (scripts) or in the httpOnly session cookie the sign-in form
// sets (the browser never sees the token again, and node admin tokens never reach it).
import { bearerToken, cookieValue } from '../../lib/http/auth.ts';
import type { Credential } from '../../lib/http/router.ts';

export const SESSION_COOKIE = 'control_session';

/** The presented credential: the bearer header wins over the cookie; null when neither is there. */
export function controlCredential(header: (name: string) => string | undefined): Credential | null {
  const bearer = bearerToken(header('authorization'));
  if (bearer !== null) return { token: bearer, actor: 'api-token' };
  const cookie = cookieValue(header('cookie'), SESSION_COOKIE);
  return cookie === null ? null : { token: cookie, actor: 'browser-session' };
}

/** The Set-Cookie value that signs this browser in (token) or out (null). */
export function sessionCookie(token: string | null): string {
  const value = token === null ? '' : encodeURIComponent(token);
  const maxAge = token === null ? 0 : 30 * 24 * 3600;
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;
}
