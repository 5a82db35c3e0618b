// The account_indexes migration on a database that already holds transactions: it fills the
// new block_height column from each row's block before making it NOT NULL (a plain
// `ADD COLUMN … NOT NULL` would fail on such a table), and the account indexes are there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { applyMigrations } from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR } from './migrations-dir.ts';
import { startTestServer, type TestServer } from './test-database.ts';

const logger = pino({ level: 'silent' });
let server: TestServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-migration-'));
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an index with transactions written before account_indexes keeps them, each with its block height', async () => {
  server = await startTestServer({ logger });
  const url = await server.createDatabase();
  // Every migration before this one.
  const names = fs.readdirSync(DEFAULT_MIGRATIONS_DIR).filter((n) => fs.statSync(path.join(DEFAULT_MIGRATIONS_DIR, n)).isDirectory());
  const mine = names.find((n) => n.endsWith('_account_indexes'));
  assert.ok(mine, 'the account_indexes migration exists');
  for (const n of names.filter((n) => n < mine)) fs.cpSync(path.join(DEFAULT_MIGRATIONS_DIR, n), path.join(dir, n), { recursive: true });
  await applyMigrations(url, { logger, migrationsDir: dir });

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const h = (c: string) => c.repeat(64);
    await client.query(`INSERT INTO nodes (id, name, url, source, public_key, is_validator) VALUES ('n1', 'node-1', 'http://127.0.0.1:1', 'local', $1, true)`, [h('a')]);
    for (const [hash, height] of [
      [h('1'), 7],
      [h('2'), 8],
    ] as const) {
      await client.query(
        `INSERT INTO blocks (hash, chain_id, parent_hash, height, slot, proposer, "timestamp", tx_root, signature, tx_count, size_bytes, first_seen_by)
         VALUES ($1, 'c', $2, $3::int4, $3::int8, $2, now(), $2, $2, 1, 500, 'n1')`,
        [hash, h('0'), height],
      );
      await client.query(`INSERT INTO transactions (block_hash, hash, index, "from", "to", amount, nonce, "timestamp", signature) VALUES ($1, $2, 0, $3, $4, 5, 0, now(), $3)`, [
        hash,
        `${hash.slice(0, 63)}f`,
        h('a'),
        h('b'),
      ]);
    }
    await applyMigrations(url, { logger });
    const rows = (await client.query<{ block_hash: string; block_height: number }>('SELECT block_hash, block_height FROM transactions ORDER BY block_height')).rows;
    assert.deepEqual(
      rows.map((r) => r.block_height),
      [7, 8],
    );
    const indexes = (await client.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'transactions' ORDER BY indexname")).rows.map(
      (r) => r.indexname,
    );
    assert.ok(indexes.includes('transactions_from_block_height_block_hash_index_idx'));
    assert.ok(indexes.includes('transactions_to_block_height_block_hash_index_idx'));
    assert.ok(!indexes.includes('transactions_from_idx'), 'the plain from index is replaced by the composite');
    const [{ is_nullable }] = (
      await client.query<{ is_nullable: string }>("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'transactions' AND column_name = 'block_height'")
    ).rows;
    assert.equal(is_nullable, 'NO');
  } finally {
    await client.end();
  }
});
