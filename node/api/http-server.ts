// The node's one HTTP port: JSON API requests go to the router (node-router.ts), WebSocket
// upgrades go to /p2p (peer links) or /stream (state events). Errors become JSON and are
// logged once. Both this server and a separate P2P port bound header and request time and the
// connections one address may hold (lib/http/server-limits.ts).
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { errFields, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { nodeListener } from '../../lib/http/router.ts';
import { answerClientErrors } from '../../lib/http/client-error.ts';
import { capConnectionsPerAddress, httpServerOptions, throttledReporter, type HttpServerLimits } from '../../lib/http/server-limits.ts';
import type { NodeView } from './node-view.ts';
import { createNodeRouter } from './node-router.ts';
import { requestUrl } from './request-url.ts';

export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpServerDeps {
  api: NodeView;
  adminToken: string;
  upgrades: Record<string, UpgradeHandler>;
  logger: Logger;
  metrics: Metrics;
  limits: HttpServerLimits;
}

/** Refused connections are logged at most this often, with how many. */
const REFUSED_LOG_EVERY_MS = 10_000;

export function createHttpServer(deps: HttpServerDeps): http.Server {
  const log = deps.logger.child({ module: 'api' });
  const router = createNodeRouter({
    api: deps.api,
    adminToken: deps.adminToken,
    onUnexpected: (err, info) => {
      deps.metrics.errors.inc({ kind: 'HTTP_INTERNAL' });
      log.error({ ...errFields(err), ...info }, 'request failed');
    },
  });
  const server = http.createServer(httpServerOptions(deps.limits), nodeListener(router));
  applyConnectionCap(server, deps.limits, deps.metrics, log);
  attachUpgrades(server, deps.upgrades, log);
  answerClientErrors(server, (fields) => log.debug(fields, 'http client error'));
  return server;
}

function applyConnectionCap(server: http.Server, limits: HttpServerLimits, metrics: Metrics, log: Logger): void {
  let lastAddress = '';
  const report = throttledReporter(REFUSED_LOG_EVERY_MS, (n) =>
    log.warn({ refused: n, address: lastAddress, maxConnectionsPerAddress: limits.maxConnectionsPerAddress }, 'connections refused: address at its connection cap'),
  );
  capConnectionsPerAddress(server, limits.maxConnectionsPerAddress, (address) => {
    metrics.httpConnectionsRefused.inc();
    lastAddress = address;
    report();
  });
}

function attachUpgrades(server: http.Server, upgrades: Record<string, UpgradeHandler>, log: Logger): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err: err.message }, 'upgrade socket error'));
    const url = requestUrl(req);
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const handler = Object.hasOwn(upgrades, url.pathname) ? upgrades[url.pathname] : undefined;
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    handler(req, socket, head);
  });
}

/** A server for WebSocket upgrades only (a separately configured P2P port). */
export function createUpgradeServer(upgrades: Record<string, UpgradeHandler>, deps: { logger: Logger; metrics: Metrics; limits: HttpServerLimits }): http.Server {
  const logger = deps.logger;
  const server = http.createServer(httpServerOptions(deps.limits), (_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `this port serves only ${Object.keys(upgrades).join(', ')}` } }));
  });
  const log = logger.child({ module: 'p2p-server' });
  applyConnectionCap(server, deps.limits, deps.metrics, log);
  attachUpgrades(server, upgrades, log);
  answerClientErrors(server, (fields) => log.debug(fields, 'http client error'));
  return server;
}
