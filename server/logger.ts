// The control plane's structured log: everything (JSON, pino) into DATA_DIR/logs/server.log,
// and warnings and errors also on the terminal, so `npm start` stays readable.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { ServerConfig } from './config.ts';

export function createLogger(config: Pick<ServerConfig, 'dataDir' | 'logLevel'>): { logger: Logger; logFile: string } {
  const dir = path.join(config.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const level = config.logLevel as pino.Level;
  const logger = pino(
    { level, base: { part: 'server' } },
    pino.multistream([
      { level, stream: pino.destination({ dest: logFile, sync: false, mkdir: true }) },
      { level: 'warn', stream: process.stderr },
    ]),
  );
  return { logger, logFile };
}
