// The one client of the control plane's /api for scripts, built from wire/server-routes.ts: the
// scenario runner, the chaos soak and tests call the server through it, so a renamed route or a
// changed body is a type error here rather than a 404 at run time. (The browser has its own
// registry over the same table, app/_lib/api.ts, because app/ imports only wire/.)
import type { RouteInput, RouteResponse } from '../../wire/http/route.ts';
import { serverRoutes, type ServerRoutes } from '../../wire/server-routes.ts';
import { callRoute } from './client.ts';

export class ControlPlaneRequestError extends Error {
  override readonly name = 'ControlPlaneRequestError';
  constructor(
    /** The API's error code (e.g. CHAOS_UNKNOWN_NODE), or SERVER_UNREACHABLE / SERVER_BAD_RESPONSE. */
    readonly code: string,
    message: string,
    readonly url: string,
    /** The HTTP status when the server answered. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface ControlPlaneClientOptions {
  /** The control token, sent as a bearer header on routes that need it. */
  token?: string | null;
  timeoutMs?: number;
}

export class ControlPlaneClient {
  private readonly token: string | null;
  private readonly timeoutMs: number;

  constructor(
    readonly baseUrl: string,
    opts: ControlPlaneClientOptions = {},
  ) {
    this.token = opts.token ?? null;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** A successful answer of one route; any other answer throws ControlPlaneRequestError with the API's code and message. */
  async call<K extends keyof ServerRoutes>(id: K, input: RouteInput<ServerRoutes[K]>, opts: { timeoutMs?: number } = {}): Promise<RouteResponse<ServerRoutes[K]>> {
    const spec = serverRoutes[id];
    let answer: Awaited<ReturnType<typeof callRoute>>;
    try {
      answer = await callRoute(this.baseUrl, spec, input, { timeoutMs: opts.timeoutMs ?? this.timeoutMs, token: spec.auth === 'token' ? this.token : null });
    } catch (err) {
      throw new ControlPlaneRequestError('SERVER_UNREACHABLE', `the control plane at ${this.baseUrl} did not answer: ${(err as Error).message}`, this.baseUrl);
    }
    const { res, url } = answer;
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (!res.ok) {
      const code = body?.error?.code ?? 'SERVER_BAD_RESPONSE';
      throw new ControlPlaneRequestError(code, `${spec.method.toUpperCase()} ${new URL(url).pathname}: ${body?.error?.message ?? `HTTP ${res.status}`}`, url, res.status);
    }
    if (body === undefined) throw new ControlPlaneRequestError('SERVER_BAD_RESPONSE', `${new URL(url).pathname}: the answer is not JSON`, url, res.status);
    return body as RouteResponse<ServerRoutes[K]>;
  }
}
