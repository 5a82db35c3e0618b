// The URL of an incoming request, parsed without throwing: a request target such as
// `http://[/stream` passes Node's HTTP parser but not `new URL`, and an exception in an
// 'upgrade' listener would take the whole node down.
import type http from 'node:http';

/** The request's URL against a dummy origin, or null when its target cannot be parsed. */
export function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}
