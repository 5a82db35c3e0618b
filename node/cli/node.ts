// Command line of one node daemon: parse and validate options once, start the node, stop it
// gracefully on SIGINT/SIGTERM, and exit non-zero on any error nobody handled.
//   npm run node -- --data-dir D --port P --genesis FILE --peers ws://127.0.0.1:7001/p2p,...
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { NODE_MAX_CONNECTIONS_PER_ADDRESS, nodeConfigSchema, parseCheckpoint, type NodeConfig } from '../config.ts';
import { DEFAULT_HTTP_TIMEOUTS } from '../../lib/http/server-limits.ts';
import { STREAM_DEFAULTS } from '../api/stream-hub.ts';
import { INBOUND_DEFAULTS } from '../p2p/inbound-admission.ts';
import { createLogger, errFields, type Logger } from '../logger.ts';
import { Node } from '../node.ts';
import { RELEASE_DIALS } from '../testnet/release-dials.ts';

const int = (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new Error(`not an integer: ${v}`);
  return Number(v);
};

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): { config: NodeConfig; parentPid: number | null; holdDials: boolean } {
  const program = new Command('node')
    .description('Testnet node daemon: signed blocks, round-robin PoA, P2P over WebSockets, HTTP API and /stream')
    .option('--data-dir <dir>', 'data directory (block log, key, admin token)', './data/node')
    .option('--port <port>', 'HTTP/P2P port (0 = any free port)', int, 7000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--p2p-port <port>', 'serve /p2p on this port instead of the HTTP port', int)
    .option('--name <name>', 'human-readable node name (default node-<port>)')
    .option('--genesis <file>', 'genesis.json (created for a single validator if missing; default <data-dir>/genesis.json)')
    .option('--key <file>', 'node key file (created if missing; default <data-dir>/key.json)')
    .option('--peers <urls>', 'comma-separated peer URLs (ws://host:port/p2p or http://host:port)', '')
    .option('--block-time <ms>', 'block time in ms, used only when creating a new genesis', int)
    .option('--admin-token <token>', 'bearer token for /admin/* (env NODE_ADMIN_TOKEN; default: generated into <data-dir>/admin-token)')
    .option('--tx-rate <n>', 'built-in load generator, tx/s (0 = off)', Number, 1)
    .option('--accounts <file>', 'funded accounts the load generator signs with')
    .option('--ping-interval <ms>', 'keep-alive ping interval; a peer silent for 2 intervals is dropped', int, 5000)
    .option('--checkpoint <height:hash>', 'trusted checkpoint: only follow chains holding this block')
    .option('--max-inbound <n>', 'inbound peer limit', int, 32)
    .option('--max-outbound <n>', 'outbound peer limit', int, 32)
    .option('--ban-ms <ms>', 'how long a misbehaving peer stays banned', int, 60_000)
    .option('--address-ban-ms <ms>', `how long an address stays banned after a peer from it misbehaved before its hello (default ${INBOUND_DEFAULTS.addressBanMs})`, int)
    .option('--max-pending-handshakes <n>', `inbound sockets handshaking at once (default ${INBOUND_DEFAULTS.maxPendingHandshakes}; they hold no peer slot)`, int)
    .option('--max-pending-per-address <n>', `of those, from one address (default ${INBOUND_DEFAULTS.maxPendingPerAddress})`, int)
    .option('--max-inbound-attempts-per-minute <n>', `inbound /p2p attempts one address may make a minute (default ${INBOUND_DEFAULTS.maxAttemptsPerMinute})`, int)
    .option('--headers-timeout <ms>', `a request must send its headers within this (default ${DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs})`, int)
    .option('--request-timeout <ms>', `a whole request must arrive within this (default ${DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs})`, int)
    .option('--keep-alive-timeout <ms>', `idle keep-alive connections close after this (default ${DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs})`, int)
    .option('--max-connections-per-address <n>', `open connections one address may hold on the node port (default ${NODE_MAX_CONNECTIONS_PER_ADDRESS})`, int)
    .option('--stream-max-clients <n>', `/stream subscribers at once (default ${STREAM_DEFAULTS.maxClients})`, int)
    .option('--max-future-ms <ms>', 'refuse blocks stamped further ahead of local time than this', int)
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'))
    .addOption(new Option('--parent-pid <pid>', 'exit when this process is gone (set by the launcher)').argParser(int).hideHelp())
    .addOption(new Option('--hold-dials', `listen, but dial no peer until the line "${RELEASE_DIALS}" arrives on stdin (set by the launcher)`).hideHelp())
    .allowExcessArguments(false)
    .parse(argv);
  const o = program.opts();
  const dataDir = path.resolve(o.dataDir);
  const config = nodeConfigSchema().parse({
    dataDir,
    host: o.host,
    port: o.port,
    p2pPort: o.p2pPort ?? null,
    name: o.name ?? `node-${o.port}`,
    genesisFile: path.resolve(o.genesis ?? path.join(dataDir, 'genesis.json')),
    keyFile: path.resolve(o.key ?? path.join(dataDir, 'key.json')),
    peers: String(o.peers)
      .split(',')
      .map((s: string) => s.trim())
      .filter(Boolean),
    adminToken: o.adminToken ?? env.NODE_ADMIN_TOKEN ?? null,
    txRate: o.txRate,
    accountsFile: o.accounts ? path.resolve(o.accounts) : null,
    pingIntervalMs: o.pingInterval,
    checkpoint: o.checkpoint ? parseCheckpoint(o.checkpoint) : null,
    logLevel: o.logLevel,
    blockTimeMs: o.blockTime ?? null,
    maxFutureMs: o.maxFutureMs ?? null,
    maxInbound: o.maxInbound,
    maxOutbound: o.maxOutbound,
    banMs: o.banMs,
    addressBanMs: o.addressBanMs,
    maxPendingHandshakes: o.maxPendingHandshakes,
    maxPendingPerAddress: o.maxPendingPerAddress,
    maxInboundAttemptsPerMinute: o.maxInboundAttemptsPerMinute,
    headersTimeoutMs: o.headersTimeout,
    requestTimeoutMs: o.requestTimeout,
    keepAliveTimeoutMs: o.keepAliveTimeout,
    maxConnectionsPerAddress: o.maxConnectionsPerAddress,
    streamMaxClients: o.streamMaxClients,
  });
  return { config, parentPid: o.parentPid ?? null, holdDials: o.holdDials === true };
}

/** Calls `release` once when the launcher writes the RELEASE_DIALS line on our stdin. */
function onDialRelease(release: () => void): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    if (!buffered.split('\n').includes(RELEASE_DIALS)) return;
    process.stdin.off('data', onData);
    release();
  };
  process.stdin.on('data', onData);
  process.stdin.resume();
}

/** Exit when the launching process dies, so a killed launcher leaves no orphan nodes. */
function watchParent(parentPid: number, onGone: () => void): void {
  const timer = setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, 2000);
  timer.unref();
  if (!process.stdin.isTTY) {
    // The launcher holds our stdin pipe open; its end means the launcher is gone.
    process.stdin.on('end', onGone);
    process.stdin.on('error', onGone);
    process.stdin.resume();
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs(process.argv, process.env);
  } catch (err) {
    const msg = err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message;
    process.stderr.write(`invalid options: ${msg}\n`);
    process.exit(2);
  }
  const { config, parentPid, holdDials } = parsed;
  const logger: Logger = createLogger({ level: config.logLevel, name: config.name });
  const node = new Node(config, { logger });

  let exiting = false;
  const shutdown = (why: string, code: number) => {
    if (exiting) return;
    exiting = true;
    logger.info({ why }, 'shutting down');
    const hard = setTimeout(() => {
      logger.error('graceful stop took over 4 s; exiting anyway');
      process.exit(code || 1);
    }, 4000);
    hard.unref();
    node
      .stop()
      .then(() => process.exit(code))
      .catch((err: unknown) => {
        logger.fatal(errFields(err), 'stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (reason) => {
    logger.fatal(errFields(reason), 'unhandled promise rejection; exiting');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal(errFields(err), 'uncaught exception; exiting');
    process.exit(1);
  });
  if (parentPid !== null) watchParent(parentPid, () => shutdown('parent process gone', 0));

  // Listened for before start: the release may come as soon as /health answers.
  let released = false;
  let started = false;
  if (holdDials) {
    onDialRelease(() => {
      released = true;
      if (started) node.startDialing();
    });
  }
  try {
    await node.start({ holdDials });
    started = true;
    if (holdDials && released) node.startDialing();
  } catch (err) {
    logger.fatal(errFields(err), 'node failed to start');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
