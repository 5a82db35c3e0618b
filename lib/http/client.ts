// Calls one route of a table over HTTP: builds the URL from the route's path and query, sends
// a JSON body and the bearer token, and gives up after a timeout. Typed from the route; the
// caller decides what to do with the answer (see node-client.ts).
import type { RouteInput, RouteSpec } from '../../wire/http/route.ts';
import { routeUrl } from '../../wire/http/route.ts';

export interface CallOptions {
  timeoutMs: number;
  /** Sent as `Authorization: Bearer <token>` when not null. */
  token?: string | null;
}

export function routeRequest<S extends RouteSpec>(baseUrl: string, spec: S, input: RouteInput<S>): { url: string; init: RequestInit } {
  const url = new URL(routeUrl(spec, input), baseUrl).toString();
  const hasBody = input.body !== undefined;
  return {
    url,
    init: {
      method: spec.method.toUpperCase(),
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? JSON.stringify(input.body) : undefined,
    },
  };
}

/** The raw answer of one route (network errors and timeouts throw, as fetch does). */
export async function callRoute<S extends RouteSpec>(baseUrl: string, spec: S, input: RouteInput<S>, opts: CallOptions): Promise<{ url: string; res: Response }> {
  const { url, init } = routeRequest(baseUrl, spec, input);
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (opts.token !== undefined && opts.token !== null) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(opts.timeoutMs) });
  return { url, res };
}
