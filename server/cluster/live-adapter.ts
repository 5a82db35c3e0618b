// Socket.IO across replicas: @socket.io/postgres-adapter relays every broadcast through
// Postgres NOTIFY (large payloads through its `socket_io_attachments` table, created by a
// migration), so a push made on the leader reaches browsers connected to any replica.
import type { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Logger } from 'pino';

export async function attachPostgresAdapter(io: Server, databaseUrl: string, logger: Logger): Promise<{ close(): Promise<void> }> {
  // Its own small pool: one connection LISTENs, the others NOTIFY and clean up attachments.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: 'socket.io-adapter' });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'socket.io adapter connection error'));
  io.adapter(createAdapter(pool, { errorHandler: (err: Error) => logger.warn({ err: err.message }, 'socket.io adapter error') }));
  return {
    close: async () => {
      // The adapter holds its LISTEN connection until closed; the pool ends after it is released.
      void io.of('/').adapter.close();
      await pool.end();
    },
  };
}
