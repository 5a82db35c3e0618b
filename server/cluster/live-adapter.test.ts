// Broadcasts across replicas through Postgres: a client connected to another Socket.IO server
// receives every broadcast once and in order, large ones (attachments) mixed with small.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { attachPostgresAdapter } from './live-adapter.ts';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
before(async () => {
  db = await withTestDatabase(); // migrated: socket_io_attachments exists
});
after(() => db.stop());

async function replica(): Promise<{ http: HttpServer; io: Server; url: string; close(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const adapter = attachPostgresAdapter(io, db.url, logger);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    http,
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      await adapter.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

test('a client on another replica receives each broadcast once, in emit order, small and large mixed', { timeout: 120_000 }, async () => {
  const leader = await replica();
  const follower = await replica();
  const client = connect(follower.url, { transports: ['websocket'], reconnection: false });
  const local = connect(leader.url, { transports: ['websocket'], reconnection: false });
  try {
    const received: number[] = [];
    const receivedLocally: number[] = [];
    client.on('n', (n: number) => received.push(n));
    local.on('n', (n: number) => receivedLocally.push(n));
    await waitFor(() => client.connected && local.connected, { what: 'both clients connected' });
    // The adapter learns of the other server by heartbeat; wait until a broadcast gets across.
    await waitFor(
      () => {
        leader.io.emit('probe');
        return new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), 500);
          client.once('probe', () => {
            clearTimeout(t);
            resolve(true);
          });
        });
      },
      { timeoutMs: 30_000, what: 'a first broadcast relayed' },
    );
    const big = 'x'.repeat(20_000); // over NOTIFY's 8 kB: goes through socket_io_attachments
    const count = 200;
    for (let i = 0; i < count; i++) leader.io.emit('n', i, i % 7 === 0 ? big : '');
    await waitFor(() => received.length >= count, { timeoutMs: 60_000, what: `${count} broadcasts on the follower's client (got ${received.length})` });
    assert.deepEqual(
      received,
      Array.from({ length: count }, (_, i) => i),
    );
    assert.deepEqual(receivedLocally, received, "the leader's own clients get each once too");
    assert.ok((await db.prisma.socketIoAttachment.count()) > 0, 'large broadcasts went through the attachments table');
  } finally {
    client.close();
    local.close();
    await follower.close();
    await leader.close();
  }
});
