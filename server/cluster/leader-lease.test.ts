// The leader lease on a real (embedded) Postgres: one of two leases leads; when the leader's
// lock connection dies the leader says so at once and the other takes the lock within 5 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestServer, type TestServer } from '../db/test-database.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { LeaderLease } from './leader-lease.ts';

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
