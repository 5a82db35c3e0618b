// Leader work follows the lease: started on the replica that wins it, stopped at once on one
// that loses its lock connection, and started on the other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestServer, type TestServer } from '../db/test-database.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { LeaderRole } from './leader-role.ts';

const logger = pino({ level: 'silent' });
let server: TestServer;
let url: string;
before(async () => {
  server = await startTestServer();
  url = await server.createDatabase();
});
after(() => server.stop());

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
