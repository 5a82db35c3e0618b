// Malformed client input against the control plane's API over a real node:http server and a
// real Postgres: bad %-encoding (path, query, session cookie), numbers and times beyond what the
// database holds, and NUL bytes each answer a coded 400 (or a 200 with nothing found) and log
// nothing above debug; search input is literal text (no LIKE wildcards).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { nodeListener } from '../../lib/http/router.ts';
import { AccountQueries } from '../read/account-queries.ts';
import { ExplorerQueries } from '../read/explorer-queries.ts';
import { ForkQueries } from '../read/fork-queries.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';

const TOKEN = 'control-token-for-tests';

describe('malformed input to the control plane API', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: Server;
  let base: string;
  const logLines: Array<{ level: number; msg: string }> = [];

  before(async () => {
    db = await withTestDatabase();
    await db.prisma.node.create({ data: { id: 'aa11bb22cc33dd44', name: 'node-1', url: 'http://127.0.0.1:1/', source: 'local', publicKey: 'aa'.repeat(32), isValidator: true } });
    const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { level: number; msg: string }) });
    const app = createServerRouter({
      controlToken: TOKEN,
      version: 'test',
      startedAt: Date.now(),
      logger,
      queries: new ExplorerQueries(db.prisma),
      forks: new ForkQueries(db.prisma),
      accounts: new AccountQueries(db.prisma, { nodes: () => [] }),
      chaos: { apply: () => Promise.reject(new Error('not reached in these tests')) },
      sessions: { ttlMs: 3_600_000, isValid: async () => false, revoke: async () => assert.fail('no session to revoke: the cookie names none') },
    } as unknown as ApiDeps);
    server = createServer(nodeListener(app));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.stop();
  });

  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, init);
    const body = (await res.json()) as { error?: { code: string; message: string }; result?: unknown };
    return { status: res.status, code: body.error?.code, body };
  };

  const cases: Array<{ what: string; path: string; init?: RequestInit; status: number; code?: string }> = [
    { what: 'bad %-encoding in a path', path: '/api/blocks/%E0', status: 400, code: 'BAD_ENCODING' },
    { what: 'bad %-encoding in a path (node id)', path: '/api/nodes/%E0%80', status: 400, code: 'BAD_ENCODING' },
    { what: 'a lone % in a query', path: '/api/search?q=%', status: 400, code: 'BAD_ENCODING' },
    {
      what: 'a session cookie that does not decode',
      path: '/api/chaos',
      init: { method: 'POST', headers: { cookie: 'control_session=%', 'content-type': 'application/json' }, body: '{"kind":"heal"}' },
      status: 400,
      code: 'BAD_COOKIE',
    },
    { what: 'a height above int4', path: '/api/blocks/2147483648', status: 400, code: 'BAD_BLOCK_ID' },
    { what: 'a before cursor above int4', path: '/api/blocks?before=2147483648', status: 400, code: 'BAD_QUERY' },
    { what: 'fork heights above int4', path: '/api/forks?from=2147483648&to=2147483649', status: 400, code: 'BAD_QUERY' },
    { what: 'a time beyond the Date range', path: '/api/forks?at=8640000000000001', status: 400, code: 'BAD_QUERY' },
    { what: 'a NUL byte in search', path: '/api/search?q=%00', status: 400, code: 'BAD_QUERY' },
    { what: 'a NUL byte in a fork point node', path: '/api/forks/point?a=node-1&b=%00', status: 400, code: 'BAD_QUERY' },
    { what: 'the largest int4 height (just not indexed)', path: '/api/blocks/2147483647', status: 404, code: 'BLOCK_NOT_FOUND' },
  ];
  for (const c of cases) {
    it(`${c.what}: ${c.path} → ${c.status} ${c.code}, nothing logged above debug`, async () => {
      const before = logLines.length;
      const res = await send(c.path, c.init);
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.equal(res.code, c.code);
      assert.deepEqual(
        logLines.slice(before).filter((l) => l.level > 20),
        [],
      );
    });
  }

  it('a number beyond the int4 range is no height to search: a 200 that finds nothing (it never reaches the database as an int)', async () => {
    const res = await send('/api/search?q=9999999999');
    assert.equal(res.status, 200);
    assert.equal(res.body.result, null);
    assert.deepEqual(
      logLines.filter((l) => l.level > 20),
      [],
    );
  });

  it('search is literal text: % and _ are no wildcards, while a node name still matches exactly (any case)', async () => {
    for (const q of ['%25', '______', 'node%25', 'node_1']) {
      const res = await send(`/api/search?q=${q}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.result, null, `q=${q} matched ${JSON.stringify(res.body.result)}`);
    }
    const hit = await send('/api/search?q=NODE-1');
    assert.deepEqual(hit.body.result, { kind: 'node', id: 'aa11bb22cc33dd44', path: '/nodes/aa11bb22cc33dd44', label: 'node-1' });
  });

  it('signing out with a session cookie that does not decode still clears it', async () => {
    const res = await fetch(`${base}/api/session`, { method: 'DELETE', headers: { cookie: 'control_session=%', origin: base } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie') ?? '', /^control_session=; .*Max-Age=0/);
    assert.deepEqual(await res.json(), { authorised: false });
  });

  it('GET /api/session with a session cookie that does not decode answers "not signed in"', async () => {
    const res = await send('/api/session', { headers: { cookie: 'control_session=%E0' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { authorised: false });
  });
});
