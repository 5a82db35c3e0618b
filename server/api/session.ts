// Who may change the network, as the router's auth step sees it: the control token as
// `Authorization: Bearer <token>` (scripts), or the httpOnly session cookie the sign-in form
// sets. The cookie carries a random session id kept in the SessionStore, never the token, so
// signing out and rotating the token end it. A cookie is ambient (the browser attaches it to
// any request to this host, whoever's page makes it), so the router accepts a write with it
// only from this server's own origins (see ownOrigins).
import { bearerToken, cookieValue, tokensEqual } from '../../lib/http/auth.ts';
import { normaliseOrigin } from '../../lib/http/same-origin.ts';
import type { Credential, CredentialVerdict } from '../../lib/http/router.ts';
import type { SessionStore } from '../control/session-store.ts';

export const SESSION_COOKIE = 'control_session';

/** The presented credential: the bearer header wins over the cookie; null when neither is there. */
export function controlCredential(header: (name: string) => string | undefined): Credential | null {
  const bearer = bearerToken(header('authorization'));
  if (bearer !== null) return { token: bearer, actor: 'api-token' };
  const session = sessionId(header);
  return session === null ? null : { token: session, actor: 'browser-session', ambient: true };
}

/** The session id of the request's cookie, or null. */
export function sessionId(header: (name: string) => string | undefined): string | null {
  const value = cookieValue(header('cookie'), SESSION_COOKIE);
  return value === null || value === '' ? null : value;
}

/** Checks a credential: a bearer token against the control token, a cookie against the live sessions (401 once ended). */
export function controlVerifier(controlToken: string, sessions: Pick<SessionStore, 'isValid'>): (cred: Credential) => Promise<CredentialVerdict> {
  return async (cred) => {
    if (cred.ambient) return (await sessions.isValid(cred.token)) ? 'valid' : 'expired';
    return tokensEqual(controlToken, cred.token) ? 'valid' : 'wrong';
  };
}

/**
 * This server's own origins, which browser writes must come from. With PUBLIC_ORIGIN set (the
 * server sits behind a proxy, e.g. TLS, and is reached at that origin) exactly those; the
 * Host header is then not trusted, because behind a proxy `http://<Host>` names another origin
 * (plain HTTP, port 80), which a page served there could use. Without it, the origin the
 * browser addressed, `http://<Host header>` (this server speaks plain HTTP): a page on another
 * port of the same host has another origin and is refused.
 */
export function ownOrigins(publicOrigins: readonly string[] | undefined): (requestUrl: URL) => readonly string[] {
  const configured = publicOrigins?.map((o) => normaliseOrigin(o) ?? o);
  return (requestUrl) => configured ?? [requestUrl.origin];
}

/** Whether browsers reach this server only over TLS (every PUBLIC_ORIGIN https): the cookie is then Secure. */
export function httpsOnly(publicOrigins: readonly string[] | undefined): boolean {
  return publicOrigins !== undefined && publicOrigins.length > 0 && publicOrigins.every((o) => o.startsWith('https:'));
}

/** The Set-Cookie value that signs this browser in (a session id, for maxAgeSec) or out (null). */
export function sessionCookie(id: string | null, maxAgeSec = 0, secure = false): string {
  const value = id === null ? '' : encodeURIComponent(id);
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${id === null ? 0 : maxAgeSec}${secure ? '; Secure' : ''}`;
}
