// Unit tests of the link shaper's decisions: reorder order, correlation statistics, the token
// bucket (burst, then rate), corruption that every envelope check refuses, seeded reproducibility.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { HeadRefSchema, LinkRuleSchema } from '../../wire/node-api.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { generateKeyPair } from '../chain/keys.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { P2PError } from './errors.ts';
import { LinkChaos, LinkShaper, REORDER_MAX_HOLD_MS, type Delivery } from './link-chaos.ts';
import { CorrelatedChance, CorrelatedValue, TokenBucket, corruptText } from './link-shaping.ts';
import { MessageRegistry, handler } from './message-registry.ts';
import { defineMessage } from './messages.ts';

const rule = (r: Record<string, unknown>) => LinkRuleSchema.parse({ peer: '*', direction: 'out', ...r });
const peer = { id: 'aaaaaaaaaaaaaaaa', publicKey: null, name: 'node-2' };
const shaperWith = (rules: Array<Record<string, unknown>>, random?: () => number) => {
  const chaos = new LinkChaos();
  chaos.setRules(rules.map(rule));
  return new LinkShaper(chaos, 'out', () => peer, random);
};
/** A random source that returns the given values in turn (and fails the test past the end). */
const scripted = (values: number[]) => {
  let i = 0;
  return () => {
    assert.ok(i < values.length, `random drawn more than the ${values.length} scripted times`);
    return values[i++];
  };
};

/** Lag-1 autocorrelation of a series. */
function lag1(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    den += (xs[i] - mean) ** 2;
    if (i > 0) num += (xs[i] - mean) * (xs[i - 1] - mean);
  }
  return num / den;
}

describe('reorder', () => {
  it('a held message is delivered right after the next `gap` messages', () => {
    // Message 1 draws 0.1 (< 50 %: held), the rest 0.9 (pass). Gap 2: 1 follows 2 and 3.
    const shaper = shaperWith([{ reorderPct: 50, reorderGap: 2 }], scripted([0.1, 0.9, 0.9, 0.9]));
    const order: number[] = [];
    const outcomes = [1, 2, 3, 4].map((n) => shaper.pass(100, () => order.push(n)));
    assert.deepEqual(outcomes, ['held', 'delivered', 'delivered', 'delivered']);
    assert.deepEqual(order, [2, 3, 1, 4]);
    shaper.close();
  });

  it('a held message is not lost when traffic stops: it leaves after the hold limit', async () => {
    const shaper = shaperWith([{ reorderPct: 100, reorderGap: 5 }]);
    const t0 = Date.now();
    let at = 0;
    assert.equal(
      shaper.pass(100, () => (at = Date.now())),
      'held',
    );
    await waitFor(() => at > 0, { timeoutMs: 10_000, what: 'the held message released' });
    assert.ok(at - t0 >= REORDER_MAX_HOLD_MS - 20, `released after ${at - t0} ms`);
    shaper.close();
  });

  it('control frames (pings) are never held and do not count toward a gap', () => {
    const shaper = shaperWith([{ reorderPct: 50, reorderGap: 1 }], scripted([0.1, 0.9]));
    const order: string[] = [];
    shaper.pass(100, () => order.push('held'));
    shaper.pass(8, () => order.push('ping'), { mayDuplicate: false, control: true });
    assert.deepEqual(order, ['ping']);
    shaper.pass(100, () => order.push('next'));
    assert.deepEqual(order, ['ping', 'next', 'held']);
    shaper.close();
  });
});

describe('correlation', () => {
  const N = 20_000;
  const draws = (pct: number, corr: number, seed: number) => {
    const c = new CorrelatedChance();
    const random = seededRandom(seed);
    return Array.from({ length: N }, (): number => (c.decide(pct, corr, random) ? 1 : 0));
  };

  it('keeps the rate at pct and sets the lag-1 correlation of outcomes to the correlation', () => {
    for (const [pct, corr] of [
      [30, 0],
      [30, 50],
      [10, 80],
    ]) {
      const xs = draws(pct, corr, 7 + pct + corr);
      const rate = (100 * xs.reduce((a, b) => a + b, 0)) / N;
      const r = lag1(xs);
      assert.ok(Math.abs(rate - pct) < pct * 0.2, `pct ${pct} corr ${corr}: rate ${rate.toFixed(2)} %`);
      assert.ok(Math.abs(r - corr / 100) < 0.06, `pct ${pct} corr ${corr}: lag-1 correlation ${r.toFixed(3)}`);
    }
  });

  it('correlated loss on a shaper drops in longer runs at the same rate', () => {
    const runs = (corr: number) => {
      const shaper = shaperWith([{ lossPct: 30, lossCorrelationPct: corr, seed: 42 }]);
      const dropped = Array.from({ length: N }, (): number => (shaper.pass(10, () => {}) === 'dropped' ? 1 : 0));
      shaper.close();
      const lengths: number[] = [];
      let run = 0;
      for (const d of dropped) {
        if (d) run++;
        else if (run) (lengths.push(run), (run = 0));
      }
      return { rate: dropped.reduce((a, b) => a + b, 0) / N, meanRun: lengths.reduce((a, b) => a + b, 0) / lengths.length };
    };
    const plain = runs(0);
    const bursty = runs(75);
    // Expected mean run 1/(1 - p) = 1.43 without, 1/(1 - (ρ + (1-ρ)p)) = 5.7 with ρ = 0.75.
    assert.ok(Math.abs(plain.rate - 0.3) < 0.03 && Math.abs(bursty.rate - 0.3) < 0.05, `rates ${plain.rate}, ${bursty.rate}`);
    assert.ok(plain.meanRun < 2 && bursty.meanRun > 3.5, `mean drop runs ${plain.meanRun.toFixed(2)}, ${bursty.meanRun.toFixed(2)}`);
  });

  it('correlated jitter values follow each other (netem get_crandom) and stay in [0, 1)', () => {
    const v = new CorrelatedValue();
    const random = seededRandom(3);
    const xs = Array.from({ length: N }, () => v.next(75, random));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    assert.ok(Math.abs(mean - 0.5) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(lag1(xs) - 0.75) < 0.05, `lag-1 ${lag1(xs)}`);
    const free = new CorrelatedValue();
    assert.ok(Math.abs(lag1(Array.from({ length: N }, () => free.next(0, random)))) < 0.03);
  });
});

describe('bandwidth token bucket', () => {
  it('passes a full bucket at once, then releases at the rate; idle time refills up to the burst only', () => {
    const b = new TokenBucket();
    const rate = 1000; // B/s
    const burst = 3000;
    assert.deepEqual(
      [0, 0, 0, 0, 0].map((now) => b.release(1000, rate, burst, now)),
      [0, 0, 0, 1000, 2000],
    );
    // Long idle: the bucket holds the burst, not ten seconds' worth.
    assert.deepEqual(
      [12_000, 12_000, 12_000, 12_000].map((now) => b.release(1000, rate, burst, now)),
      [12_000, 12_000, 12_000, 13_000],
    );
  });

  it('without a burst, messages are spaced by their bytes at the rate (the cap as it was)', () => {
    const b = new TokenBucket();
    assert.deepEqual(
      [0, 0, 0].map((now) => b.release(1000, 10_000, 0, now)),
      [100, 200, 300],
    );
    assert.equal(b.release(1000, 10_000, 0, 1000), 1100, 'an idle link starts afresh');
  });

  it('on a shaper: the burst is delivered at once, the rest waits for the rate', async () => {
    const shaper = shaperWith([{ bandwidthBps: 10_000, bandwidthBurstBytes: 3000 }]);
    const t0 = Date.now();
    const times: number[] = [];
    const outcomes = [1, 2, 3, 4, 5].map(() => shaper.pass(1000, () => times.push(Date.now() - t0)));
    assert.deepEqual(outcomes, ['delivered', 'delivered', 'delivered', 'scheduled', 'scheduled']);
    await waitFor(() => times.length === 5, { timeoutMs: 10_000, what: 'five messages through' });
    assert.ok(times[3] >= 90 && times[4] >= 190, `4th at ${times[3]} ms, 5th at ${times[4]} ms (100 ms of rate each)`);
    shaper.close();
  });
});

describe('corrupt', () => {
  const key = generateKeyPair();
  const StatusMsg = defineMessage('status', z.object({ head: HeadRefSchema }));
  const registry = new MessageRegistry();
  registry.add({ name: 'test', messages: [handler(StatusMsg, { handle: () => {} })] });

  it('changes exactly one byte, keeps the frame valid UTF-8, and every envelope check refuses it', () => {
    const random = seededRandom(11);
    const codes = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const text = sealEnvelope('status', { head: { height: i, hash: 'ab'.repeat(32) } }, key, 1_700_000_000_000 + i);
      const bad = corruptText(text, random);
      const [a, b] = [Buffer.from(text), Buffer.from(bad)];
      assert.equal(a.length, b.length);
      assert.equal(a.filter((x, j) => x !== b[j]).length, 1, 'one byte differs');
      assert.equal(Buffer.from(bad, 'utf8').toString('utf8'), bad);
      try {
        openEnvelope(bad, registry);
        assert.fail(`a corrupted frame was accepted: ${bad}`);
      } catch (err) {
        assert.ok(err instanceof P2PError, `refused with a P2PError, not ${String(err)}`);
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      }
    }
    assert.ok(codes.has('SIGNATURE_INVALID') && codes.has('SCHEMA_INVALID') && codes.has('MALFORMED'), JSON.stringify([...codes]));
  });

  it('a shaper asks for corruption at the rule’s share', () => {
    const shaper = shaperWith([{ corruptPct: 25, seed: 5 }]);
    const hows: Delivery[] = [];
    for (let i = 0; i < 4000; i++) shaper.pass(10, (how) => hows.push(how));
    const share = hows.filter((h) => h.corrupt).length / hows.length;
    assert.equal(hows.length, 4000, 'corrupted messages are still delivered');
    assert.ok(Math.abs(share - 0.25) < 0.03, `corrupted share ${share}`);
    shaper.close();
  });
});

describe('seed', () => {
  it('two links with the same seeded rule make the same decisions for the same traffic', () => {
    const rules = [{ lossPct: 20, duplicatePct: 10, reorderPct: 15, reorderGap: 2, corruptPct: 5, lossCorrelationPct: 30, seed: 1234 }];
    const trace = () => {
      const shaper = shaperWith(rules);
      const out: string[] = [];
      for (let i = 0; i < 500; i++) out.push(`${i}:${shaper.pass(10, (how) => out.push(`d${i}${how.corrupt ? 'c' : ''}`))}`);
      shaper.close();
      return out;
    };
    const a = trace();
    assert.deepEqual(trace(), a);
    // The same link, the rule lifted (a message passes clean) and applied again: the same sequence.
    const chaos = new LinkChaos();
    const shaper = new LinkShaper(chaos, 'out', () => peer);
    const run = () => {
      const out: string[] = [];
      for (let i = 0; i < 200; i++) out.push(shaper.pass(10, () => {}));
      return out;
    };
    chaos.setRules(rules.map(rule));
    const first = run();
    chaos.setRules([]);
    assert.equal(
      shaper.pass(10, () => {}),
      'delivered',
    );
    chaos.setRules(rules.map(rule));
    assert.deepEqual(run(), first);
    shaper.close();
    assert.ok(a.some((x) => x.endsWith('dropped')) && a.some((x) => x.endsWith('held')) && a.some((x) => x.endsWith('c')));
  });
});
