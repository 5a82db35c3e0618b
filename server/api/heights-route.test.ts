// GET /api/nodes/heights against a real Postgres, through the router: the 5-minute window holds
// only recent heads at one point per second; 'all' starts at the first indexed head and folds a
// long run into at most `points` points per series (each bucket keeps its highest height); bad
// query input answers a coded 400.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import type { HeightsResponse } from '../../wire/explorer-api.ts';
import { HistoryQueries } from '../read/history-queries.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';

const HOUR = 3_600_000;

describe('GET /api/nodes/heights: windows and downsampling', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  const now = Date.now();
  // Six hours of heads: node-1 one block every 10 s; node-2 the same until a fork 2 minutes
  // ago, from where it stays one block behind.
  const runStart = now - 6 * HOUR;
  const heads = (nodeId: string, lagFrom: number) =>
    Array.from({ length: (6 * HOUR) / 10_000 }, (_, i) => {
      const at = runStart + i * 10_000;
      return { nodeId, streamEpoch: 'e1', seq: i + 1, hash: `${nodeId}-${i}`, height: i + 1 - (at >= lagFrom ? 1 : 0), at: new Date(at) };
    });

  const app = () => createServerRouter({ history: new HistoryQueries(db.prisma), logger: pino({ level: 'silent' }) } as unknown as ApiDeps);
  /** The answer, and the moments just before and after it was asked (the window ends at one in between). */
  const get = async (query: string) => {
    const asked = Date.now();
    const res = await app().request(`/api/nodes/heights${query}`);
    return { status: res.status, asked, answered: Date.now(), body: (await res.json()) as HeightsResponse & { error?: { code: string; message: string } } };
  };
  const fiveMinutesBack = (r: { asked: number; answered: number; body: HeightsResponse }) => r.body.since >= r.asked - 5 * 60_000 && r.body.since <= r.answered - 5 * 60_000;

  before(async () => {
    db = await withTestDatabase();
    for (const n of [1, 2]) {
      await db.prisma.node.create({
        data: { id: `id-${n}`, name: `node-${n}`, url: `http://127.0.0.1:1/${n}`, source: 'local', publicKey: String(n).repeat(64), isValidator: true },
      });
    }
    await db.prisma.headEvent.createMany({ data: [...heads('id-1', Infinity), ...heads('id-2', now - 120_000)] });
  });
  after(() => db?.stop());

  it('window=5m: only the last five minutes, a point per head, each line starting at the window edge', async () => {
    const answer = await get('?window=5m');
    const { status, body } = answer;
    assert.equal(status, 200);
    assert.equal(body.bucketMs, 1_000);
    assert.ok(fiveMinutesBack(answer), `since ${body.since} is five minutes back`);
    const [one, two] = body.series;
    assert.deepEqual([one.name, two.name], ['node-1', 'node-2']);
    assert.equal(one.points[0][0], body.since, 'the line starts at the window edge with the head before it');
    // Each head inside the window, plus the start (unless the first head shares the edge's second).
    const inside = heads('id-1', Infinity).filter((h) => h.at.getTime() >= body.since).length;
    assert.ok(one.points.length === inside || one.points.length === inside + 1, `${one.points.length} points for ${inside} heads in the window`);
    assert.equal(one.points.at(-1)![1] - two.points.at(-1)![1], 1, 'node-2 is one block behind since the fork');
    for (const s of body.series) for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i][0] > s.points[i - 1][0], `${s.name}: one point per moment`);
  });

  it('window=all&points=50: from the first head, at most 50 points a series, each the height as of its bucket end', async () => {
    const { status, body } = await get('?window=all&points=50');
    assert.equal(status, 200);
    assert.equal(body.since, runStart);
    assert.ok(body.bucketMs! >= (6 * HOUR) / 50, `bucket ${body.bucketMs} ms`);
    for (const s of body.series) {
      assert.ok(s.points.length <= 50 && s.points.length >= 40, `${s.name}: ${s.points.length} points`);
      for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i][0] > s.points[i - 1][0], 'oldest first, one point per bucket');
    }
    const one = body.series[0];
    assert.equal(one.points[0][0], runStart);
    assert.equal(one.points.at(-1)![1], (6 * HOUR) / 10_000, 'the last bucket holds the newest head');
  });

  it('window=1h: wider buckets read each head as of the bucket end; the fork still shows as one block apart', async () => {
    const { status, body } = await get('?window=1h');
    assert.equal(status, 200);
    assert.equal(body.bucketMs, 4_000);
    const [one, two] = body.series;
    assert.equal(one.points[0][0], body.since);
    assert.ok(one.points.length >= 355 && one.points.length <= 362, `${one.points.length} points: a head every 10 s for an hour`);
    assert.equal(one.points.at(-1)![1], (6 * HOUR) / 10_000);
    assert.equal(one.points.at(-1)![1] - two.points.at(-1)![1], 1);
    for (const s of body.series)
      for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i][0] > s.points[i - 1][0] && s.points[i][1] !== s.points[i - 1][1], `${s.name}: changes only`);
  });

  it('the default (no window) stays the five minutes it always was', async () => {
    const answer = await get('');
    assert.equal(answer.status, 200);
    assert.ok(fiveMinutesBack(answer), `since ${answer.body.since} is five minutes back`);
  });

  for (const [what, query] of [
    ['an unknown window', '?window=2h'],
    ['too few points', '?window=all&points=1'],
    ['too many points', '?points=100000'],
    ['points that are not a number', '?points=lots'],
    ['minutes out of range', '?minutes=100000'],
  ] as const) {
    it(`${what} answers 400 BAD_QUERY`, async () => {
      const { status, body } = await get(query);
      assert.equal(status, 400);
      assert.equal(body.error?.code, 'BAD_QUERY');
    });
  }
});
