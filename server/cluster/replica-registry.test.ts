// The replicas table on a real Postgres: followers find the leader's URL there; a leader that
// stops or falls silent names nobody.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { ReplicaRegistry } from './replica-registry.ts';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
before(async () => {
  db = await withTestDatabase();
});
after(() => db.stop());

test('followers find the live leader; a new leader replaces the mark; a stopped or silent leader names nobody', async () => {
  const a = new ReplicaRegistry({ prisma: db.prisma, self: { id: 'a', url: 'http://127.0.0.1:1' }, logger, beatMs: 100_000, staleMs: 2_000 });
  const b = new ReplicaRegistry({ prisma: db.prisma, self: { id: 'b', url: 'http://127.0.0.1:2' }, logger, beatMs: 100_000, staleMs: 2_000 });
  try {
    await a.start();
    await b.start();
    assert.equal(await b.leader(), null, 'nobody leads yet');
    await a.setLeading(true);
    const fresh = new ReplicaRegistry({ prisma: db.prisma, self: { id: 'c', url: 'http://127.0.0.1:3' }, logger });
    assert.deepEqual(await fresh.leader(), { id: 'a', url: 'http://127.0.0.1:1' });
    assert.deepEqual(await a.leader(), { id: 'a', url: 'http://127.0.0.1:1' }, 'the leader knows itself');

    // b takes over (a's lock is gone): only b is marked.
    await b.setLeading(true);
    assert.deepEqual(
      (await db.prisma.replica.findMany({ where: { leader: true } })).map((r) => r.id),
      ['b'],
    );
    // Silent for longer than staleMs: named by nobody (b's heartbeat is set back by hand).
    await db.prisma.replica.update({ where: { id: 'b' }, data: { heartbeatAt: new Date(Date.now() - 3_000) } });
    const reader = new ReplicaRegistry({ prisma: db.prisma, self: { id: 'd', url: 'http://127.0.0.1:4' }, logger, staleMs: 2_000 });
    assert.equal(await reader.leader(), null);
    // A clean stop removes the row.
    await b.stop();
    assert.equal(await db.prisma.replica.count({ where: { id: 'b' } }), 0);
  } finally {
    await a.stop();
    await b.stop();
  }
});
