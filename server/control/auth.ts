// Who may change the network: a request carrying the control token, either as
// `Authorization: Bearer <token>` (scripts) or in the httpOnly session cookie the sign-in form
// sets (the browser never sees the token again, and node admin tokens never reach it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/http-error.ts';
import { tokenMatches } from './control-token.ts';

export const SESSION_COOKIE = 'control_session';

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function presentedToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return m ? m[1].trim() : '';
  }
  return cookieToken(req);
}

/** Throws 401 when no token is presented, 403 when it is wrong. Returns the actor label. */
export function requireControl(req: IncomingMessage, expected: string): string {
  const token = presentedToken(req);
  if (token === null) throw new ApiError(401, 'UNAUTHORIZED', 'this action changes the network: sign in with the control token (or send Authorization: Bearer <token>)');
  if (!tokenMatches(expected, token)) throw new ApiError(403, 'FORBIDDEN', 'wrong control token');
  return req.headers.authorization ? 'api-token' : 'browser-session';
}

export function isAuthorised(req: IncomingMessage, expected: string): boolean {
  const token = presentedToken(req);
  return token !== null && tokenMatches(expected, token);
}

export function setSessionCookie(res: ServerResponse, token: string | null): void {
  const value = token === null ? '' : encodeURIComponent(token);
  const maxAge = token === null ? 0 : 30 * 24 * 3600;
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
}
