// Socket.IO across replicas: @socket.io/postgres-adapter relays every broadcast through
// Postgres NOTIFY (payloads over 8 kB through its `socket_io_attachments` table, created by a
// migration), so a push made on the leader reaches browsers connected to any replica, once and
// in the order it was emitted (ordered-adapter-pool.ts).
import type { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import type { Logger } from 'pino';
import { OrderedAdapterPool } from './ordered-adapter-pool.ts';

export function attachPostgresAdapter(io: Server, databaseUrl: string, logger: Logger): { close(): Promise<void> } {
  const pool = new OrderedAdapterPool(databaseUrl, (err) => logger.warn({ err: err.message }, 'socket.io adapter connection error'));
  io.adapter(createAdapter(pool as unknown as pg.Pool, { errorHandler: (err: Error) => logger.warn({ err: err.message }, 'socket.io adapter error') }));
  return {
    close: async () => {
      // The adapter holds its LISTEN connection until closed; the pool ends after it is released.
      void io.of('/').adapter.close();
      await pool.end();
    },
  };
}
