// Resource limits of a plain node:http server we own (a node's API port, the control plane):
// how long a client may take to send its headers and its whole request, how long an idle
// keep-alive connection stays, and how many connections one address may hold open at once.
// Without them a client that trickles its headers holds a socket for Node's defaults
// (60 s headers, 300 s request, checked only every 30 s), and a few hundred of them hold the port.
import type http from 'node:http';
import type net from 'node:net';

export interface HttpServerLimits {
  /** A request's headers must be complete within this (ms). */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this (ms); >= headersTimeoutMs. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /** Open connections one remote address may hold (HTTP, keep-alive and upgraded WebSockets alike). */
  maxConnectionsPerAddress: number;
}

/** Bounds a client cannot reach by being slow; generous for any honest client. */
export const DEFAULT_HTTP_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 } as const;

/**
 * Options for http.createServer: the timeouts, and how often Node checks them (it must be
 * often enough for the timeouts to mean what they say: by default Node looks every 30 s).
 */
export function httpServerOptions(limits: Pick<HttpServerLimits, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>): http.ServerOptions {
  if (limits.requestTimeoutMs < limits.headersTimeoutMs) {
    throw new RangeError(`requestTimeoutMs (${limits.requestTimeoutMs}) must be >= headersTimeoutMs (${limits.headersTimeoutMs})`);
  }
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

export interface ConnectionCap {
  /** Connections `address` holds open now. */
  open(address: string): number;
  /** Connections refused since the start. */
  readonly refused: number;
}

/**
 * Refuses (destroys at once, before any byte is read) a connection from an address that
 * already holds `max` open ones. `onRefused` is told each refusal, to count and log it.
 */
export function capConnectionsPerAddress(server: net.Server, max: number, onRefused: (address: string, open: number) => void): ConnectionCap {
  if (!(max >= 1)) throw new RangeError(`maxConnectionsPerAddress must be >= 1 (got ${max})`);
  const open = new Map<string, number>();
  let refused = 0;
  // Before the HTTP server's own listener, so a refused socket never gets a parser.
  server.prependListener('connection', (socket: net.Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = open.get(address) ?? 0;
    if (n >= max) {
      refused++;
      socket.destroy();
      onRefused(address, n);
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return {
    open: (address) => open.get(address) ?? 0,
    get refused() {
      return refused;
    },
  };
}

/** At most one line per `everyMs` for a repeated event, saying how many happened since the last. */
export function throttledReporter(everyMs: number, report: (countSinceLast: number) => void, now: () => number = Date.now): () => void {
  let last = -Infinity;
  let pending = 0;
  return () => {
    pending++;
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    report(pending);
    pending = 0;
  };
}
