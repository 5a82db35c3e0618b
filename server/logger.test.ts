// The server's log: a line logged and flushed at once, before the file has even opened (a start
// that fails in its first milliseconds), reaches the file, and the flush does not throw
// ("sonic boom is not ready yet" used to follow a failed start's own message).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

test('a flush right after the first line, before the log file opened, writes it and does not throw', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'server-logger-'));
  try {
    const { logger, logFile, flush } = createLogger({ dataDir, logLevel: 'info' });
    logger.info({ step: 'first' }, 'start-up failed early');
    await flush();
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0]) as { msg: string }).msg, 'start-up failed early');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
