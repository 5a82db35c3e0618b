import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { createLogger } from '../logger.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { ListenerMonitor } from './listener-monitor.ts';

describe('P2P listener monitor', () => {
  it('reports listening, then the error when the listener stops serving', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const seen: boolean[] = [];
    const mon = new ListenerMonitor(server, { host: '127.0.0.1', port: () => port, intervalMs: 50 }, createLogger({ level: 'silent' }), (s) => seen.push(s.listening));
    mon.start();
    assert.deepEqual(mon.get(), { listening: true, error: null });
    server.close();
    await waitFor(() => !mon.get().listening, { timeoutMs: 2000, what: 'not listening' });
    assert.match(mon.get().error ?? '', /closed/);
    mon.stop();
    assert.deepEqual(seen, [true, false]);
  });
});
