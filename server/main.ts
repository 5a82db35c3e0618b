// `npm start`: the control plane as a process. Reads the configuration, starts everything,
// prints where to look, and stops it all in reverse order on SIGINT/SIGTERM (or on a fatal
// error), so Ctrl-C never leaves a node process or a Postgres server behind.
import '#server-only';
import { mkdirSync } from 'node:fs';
import { loadServerConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startControlPlane, version, type ControlPlane } from './control-plane.ts';

async function main(config: ServerConfig): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  const { logger, logFile, flush } = createLogger(config);
  let plane: ControlPlane | null = null;
  let stopping = false;

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    console.log(`\nStopping (${reason})…`);
    // A part that hangs must not keep the process (and its children) alive past the deadline.
    const deadline = setTimeout(() => {
      console.error('Shutdown took longer than 9 s; exiting anyway.');
      process.exit(1);
    }, 9_000);
    deadline.unref();
    await plane?.stop();
    console.log('Stopped.');
    await flush();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandled rejection', 1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });

  console.log(`Testnet explorer ${version}: starting (data in ${config.dataDir}, logs in ${logFile})`);
  try {
    plane = await startControlPlane(config, { logger, serveExplorer: config.serveExplorer, step: (text) => console.log(`  ${text}`) });
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    console.error(`Could not start: ${(err as Error).message}`);
    await shutdown('start-up failed', 1);
    return;
  }
  if (stopping) return;
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  console.log(`\n${config.serveExplorer ? 'Explorer' : 'API'} ready: http://${shownHost}:${plane.port}`);
  console.log(`Control token (needed for chaos actions): ${plane.token.source}`);
  console.log('Press Ctrl-C to stop everything.\n');
}

let config: ServerConfig;
try {
  config = loadServerConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
main(config).catch((err: Error) => {
  console.error(`Could not start: ${err.message}`);
  process.exit(1);
});
