// Leader election on a real (embedded) Postgres: one of two leases leads; when the leader's
// lock connection dies the leader says so at once and the other takes the lock within 5 s.
// Leader work follows the lease (leader-role.ts): started on the winner, stopped at once on
// the one that loses its lock connection, and started on the other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestServer, type TestServer } from '../db/test-database.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { LeaderLease } from './leader-lease.ts';
import { LeaderRole } from './leader-role.ts';

const logger = pino({ level: 'silent' });
let server: TestServer;
let url: string;
before(async () => {
  server = await startTestServer();
  url = await server.createDatabase();
});
after(() => server.stop());

test('two leases on one database: exactly one leads; a lost connection hands over within 5 s', async () => {
  const a = new LeaderLease({ databaseUrl: url, logger, pollMs: 200 });
  const b = new LeaderLease({ databaseUrl: url, logger, pollMs: 200 });
  try {
    await a.start();
    await b.start();
    assert.equal(a.isLeader, true, 'the first lease to try leads');
    assert.equal(b.isLeader, false, 'the second follows');
    // A few polls later it still follows (the lock is exclusive, not merely first-come).
    let bTries = 0;
    await waitFor(() => ++bTries >= 5, { intervalMs: 200, what: 'a few follower polls' });
    assert.equal(b.isLeader, false);

    const lost = new Promise<string>((resolve) => a.once('lost', resolve));
    const acquired = new Promise<number>((resolve) => b.once('acquired', () => resolve(Date.now())));
    const cut = Date.now();
    a.destroyConnectionForTest();
    const reason = await lost;
    assert.match(reason, /lock connection/);
    assert.equal(a.isLeader, false, 'the old leader stops leading as soon as its connection goes');
    const tookMs = (await acquired) - cut;
    console.log(`takeover after a lost lock connection: ${tookMs} ms`);
    assert.ok(tookMs < 5_000, `takeover took ${tookMs} ms`);
    assert.equal(b.isLeader, true);
    // The old leader competes again, and does not get the lock while b holds it.
    let aTries = 0;
    await waitFor(() => ++aTries >= 5, { intervalMs: 200, what: 'a few polls of the old leader' });
    assert.equal(a.isLeader, false);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('stopping the leader releases the lock for the next replica', async () => {
  const a = new LeaderLease({ databaseUrl: url, logger, pollMs: 200 });
  const b = new LeaderLease({ databaseUrl: url, logger, pollMs: 200 });
  try {
    await a.start();
    await b.start();
    assert.equal(a.isLeader, true);
    const lost = new Promise<string>((resolve) => a.once('lost', resolve));
    await a.stop();
    assert.equal(await lost, 'lease stopped');
    await waitFor(() => b.isLeader, { timeoutMs: 30_000, what: 'b to lead after a stopped' });
  } finally {
    await a.stop();
    await b.stop();
  }
});

/** Stands for the indexer, monitor and the rest: counts its starts and stops. */
class CountingWork {
  stopped = false;
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

test('leader work starts on the lease winner, stops when its lock connection dies, and starts on the other', async () => {
  const marks: string[] = [];
  const make = (name: string) => {
    const works: CountingWork[] = [];
    const role = new LeaderRole({
      databaseUrl: url,
      logger,
      pollMs: 200,
      registry: { setLeading: async (leading: boolean) => void marks.push(`${name}:${leading}`) },
      start: async () => {
        const w = new CountingWork();
        works.push(w);
        return w;
      },
    });
    return { role, works };
  };
  const a = make('a');
  const b = make('b');
  try {
    await a.role.start();
    await b.role.start();
    assert.equal(a.role.isLeader, true);
    assert.equal(a.works.length, 1);
    assert.equal(b.works.length, 0, 'the follower runs no leader work');

    const changedToNull = new Promise<void>((resolve) => a.role.on('changed', (w) => w === null && resolve()));
    a.role.destroyLockConnectionForTest();
    await changedToNull;
    await waitFor(() => a.works[0]!.stopped, { timeoutMs: 10_000, what: "the old leader's work stopped" });
    await waitFor(() => b.works.length === 1 && b.role.isLeader, { timeoutMs: 10_000, what: 'b leading' });
    assert.equal(a.role.isLeader, false);
    assert.deepEqual(
      marks.filter((m) => m.startsWith('b')),
      ['b:true'],
    );
    assert.ok(marks.includes('a:false'), 'the old leader unmarked itself');
  } finally {
    await a.role.stop();
    await b.role.stop();
  }
  assert.equal(b.works[0]!.stopped, true, 'stopping the role stops its work');
});
