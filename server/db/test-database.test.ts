// The helper other tests use for a database of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTestDatabase } from './test-database.ts';

test('withTestDatabase gives a migrated database, reset() empties it and restarts ids, stop() is idempotent', async () => {
  const db = await withTestDatabase();
  try {
    const node = { id: 'n1', name: 'n1', url: 'http://127.0.0.1:7001', source: 'local' as const, publicKey: 'ab'.repeat(32), isValidator: true };
    await db.prisma.node.create({ data: node });
    await db.prisma.alert.create({ data: { kind: 'stall', severity: 'warning', message: 'x' } });
    await db.reset();
    assert.equal(await db.prisma.node.count(), 0);
    const alert = await db.prisma.alert.create({ data: { kind: 'stall', severity: 'warning', message: 'y' } });
    assert.equal(alert.id, 1);
    const [{ count }] = await db.prisma.$queryRaw<Array<{ count: bigint }>>`SELECT count(*) FROM _prisma_migrations`;
    assert.ok(count > 0n, 'reset keeps the migration history');
  } finally {
    await Promise.all([db.stop(), db.stop()]);
  }
});
