// The control plane's structured log: everything (JSON, pino) into DATA_DIR/logs/server.log,
// and warnings and errors also on the terminal, so `npm start` stays readable.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { ServerConfig } from './config.ts';

export interface ServerLogger {
  logger: Logger;
  logFile: string;
  /**
   * Writes out what is buffered for the log file and closes it: the last call before the process
   * exits (nothing logged after it reaches the file). Waits (up to 2 s) for the file to open first:
   * a start that fails within its first milliseconds used to end with "sonic boom is not ready
   * yet" from a flush before the asynchronous open, after its own clear message.
   */
  flush(): Promise<void>;
}

export function createLogger(config: Pick<ServerConfig, 'dataDir' | 'logLevel'>): ServerLogger {
  const dir = path.join(config.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const level = config.logLevel as pino.Level;
  const file = pino.destination({ dest: logFile, sync: false, mkdir: true });
  const opened = new Promise<boolean>((resolve) => {
    file.once('ready', () => resolve(true));
    file.once('error', () => resolve(false));
    setTimeout(() => resolve(false), 2_000).unref();
  });
  const logger = pino(
    { level, base: { part: 'server' } },
    pino.multistream([
      { level, stream: file },
      { level: 'warn', stream: process.stderr },
    ]),
  );
  const flush = async () => {
    if (!(await opened)) {
      console.error(`The log file ${logFile} could not be opened; its last lines are lost (warnings and errors were shown here).`);
      return;
    }
    // End the file rather than flushSync(): a write already in flight (started when the file
    // opened) is not waited for by flushSync, so the last lines could still be missing at exit.
    // end() finishes every pending write, then closes.
    await new Promise<void>((resolve) => {
      file.once('close', () => resolve());
      file.once('error', () => resolve());
      setTimeout(resolve, 2_000).unref();
      file.end();
    });
  };
  return { logger, logFile, flush };
}
