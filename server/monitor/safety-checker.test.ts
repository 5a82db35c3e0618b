import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SafetyChecker, violationKey, type FinalityObservation } from './safety-checker.ts';

const obs = (nodeId: string, at: number, height: number, hash: string): FinalityObservation => ({ nodeId, at, height, hash });

describe('SafetyChecker', () => {
  it('accepts nodes that finalize the same chain at different paces', () => {
    const c = new SafetyChecker();
    assert.deepEqual(c.observeFinalized(obs('n1', 1, 1, 'a1')), []);
    assert.deepEqual(c.observeFinalized(obs('n2', 2, 1, 'a1')), []);
    assert.deepEqual(c.observeFinalized(obs('n1', 3, 3, 'a3')), []);
    assert.deepEqual(c.observeBlock(obs('n2', 4, 3, 'a3')), []);
    assert.deepEqual(c.observeFinalized(obs('n2', 5, 3, 'a3')), []);
    assert.equal(c.violationCount(), 0);
    assert.equal(c.firstFinalizedAt(3)?.nodeId, 'n1');
  });

  it('reports two nodes with different finalized hashes at one height, with both readings', () => {
    const c = new SafetyChecker();
    c.observeFinalized(obs('n1', 10, 5, 'a5'));
    const v = c.observeFinalized(obs('n3', 20, 5, 'b5'));
    assert.deepEqual(v, [{ kind: 'conflicting-finality', height: 5, first: obs('n1', 10, 5, 'a5'), conflicting: obs('n3', 20, 5, 'b5') }]);
  });

  it('reports one node that names two different finalized blocks at one height over time', () => {
    const c = new SafetyChecker();
    c.observeFinalized(obs('n1', 10, 5, 'a5'));
    c.observeFinalized(obs('n1', 20, 6, 'a6'));
    const v = c.observeBlock(obs('n1', 30, 5, 'x5'));
    assert.equal(v.length, 1);
    assert.equal(v[0].kind, 'conflicting-finality');
  });

  it('reports a node whose finalized height went down, with before and after', () => {
    const c = new SafetyChecker();
    c.observeFinalized(obs('n2', 10, 7, 'a7'));
    const v = c.observeFinalized(obs('n2', 20, 4, 'a4'));
    assert.deepEqual(v, [{ kind: 'finality-regressed', nodeId: 'n2', before: obs('n2', 10, 7, 'a7'), after: obs('n2', 20, 4, 'a4') }]);
    // Another node being lower is not a regression: only a node against its own past.
    assert.deepEqual(c.observeFinalized(obs('n3', 30, 2, 'a2')), []);
  });

  it('reports each violation once, however often the evidence is seen again', () => {
    const c = new SafetyChecker();
    c.observeFinalized(obs('n1', 1, 5, 'a5'));
    assert.equal(c.observeFinalized(obs('n2', 2, 5, 'b5')).length, 1);
    assert.equal(c.observeFinalized(obs('n2', 3, 5, 'b5')).length, 0);
    assert.equal(c.observeBlock(obs('n4', 4, 5, 'b5')).length, 0);
    // A third hash at the same height is new evidence.
    assert.equal(c.observeBlock(obs('n4', 5, 5, 'c5')).length, 1);
    assert.equal(c.violationCount(), 2);
  });

  it('a violation cannot be cleared: honest readings afterwards leave it reported', () => {
    const c = new SafetyChecker({ windowHeights: 4 });
    c.observeFinalized(obs('n1', 1, 1, 'a1'));
    c.observeFinalized(obs('n2', 2, 1, 'b1'));
    c.observeFinalized(obs('n2', 3, 0, 'a0'));
    for (let h = 2; h < 50; h++) {
      c.observeFinalized(obs('n1', 10 + h, h, `a${h}`));
      c.observeFinalized(obs('n2', 10 + h, h, `a${h}`));
    }
    assert.deepEqual(
      c.violations().map((v) => v.kind),
      ['conflicting-finality', 'finality-regressed'],
    );
    assert.equal(c.violationCount(), 2);
    // Nothing on the checker takes a violation back (no clear/reset/remove method exists).
    const proto = Object.getOwnPropertyNames(SafetyChecker.prototype);
    assert.ok(!proto.some((m) => /clear|reset|remove|forget/i.test(m)), proto.join(','));
  });

  it('keeps only a window of heights and counts readings under it as unchecked', () => {
    const c = new SafetyChecker({ windowHeights: 10 });
    for (let h = 0; h <= 100; h++) c.observeFinalized(obs('n1', h, h, `a${h}`));
    assert.equal(c.rememberedHeights(), 10);
    assert.equal(c.floor(), 91);
    assert.equal(c.firstFinalizedAt(90), undefined);
    // A late conflicting reading under the window cannot be compared: counted, not a violation.
    assert.deepEqual(c.observeBlock(obs('n2', 200, 50, 'b50')), []);
    assert.equal(c.uncheckedObservations(), 1);
    // Inside the window it still is.
    assert.equal(c.observeBlock(obs('n2', 201, 95, 'b95')).length, 1);
  });

  it('keeps at most maxViolations for reading back but counts and reports all', () => {
    const c = new SafetyChecker({ maxViolations: 2 });
    let reported = 0;
    for (let h = 0; h < 5; h++) {
      c.observeBlock(obs('n1', h, h, `a${h}`));
      reported += c.observeBlock(obs('n2', h, h, `b${h}`)).length;
    }
    assert.equal(reported, 5);
    assert.equal(c.violations().length, 2);
    assert.equal(c.violationCount(), 5);
  });

  it('gives a stable key per violation', () => {
    const c = new SafetyChecker();
    c.observeFinalized(obs('n1', 1, 3, 'a3'));
    const [v] = c.observeFinalized(obs('n2', 2, 3, 'b3'));
    assert.equal(violationKey(v), 'safety:conflicting-finality:3:b3');
  });
});

/** Honest streams: every reading names the true chain's hash; each node's tip only rises. */
const honestStream = fc
  .record({
    length: fc.integer({ min: 1, max: 60 }),
    nodes: fc.integer({ min: 1, max: 5 }),
    steps: fc.array(fc.record({ node: fc.nat(), advance: fc.nat({ max: 4 }), tip: fc.boolean(), below: fc.nat() }), { minLength: 1, maxLength: 120 }),
  })
  .map(({ length, nodes, steps }) => {
    const chain = Array.from({ length }, (_, h) => `h${h}`);
    const tips = new Array<number>(nodes).fill(0);
    const out: Array<{ tip: boolean; o: FinalityObservation }> = [];
    steps.forEach((s, i) => {
      const n = s.node % nodes;
      tips[n] = Math.min(length - 1, tips[n] + s.advance);
      const height = s.tip ? tips[n] : s.below % (tips[n] + 1);
      out.push({ tip: s.tip, o: obs(`n${n}`, i, height, chain[height]) });
    });
    return out;
  });

function feed(c: SafetyChecker, e: { tip: boolean; o: FinalityObservation }) {
  return e.tip ? c.observeFinalized(e.o) : c.observeBlock(e.o);
}

describe('SafetyChecker properties', () => {
  it('honest observation streams from one true chain never raise', () => {
    fc.assert(
      fc.property(honestStream, fc.integer({ min: 1, max: 80 }), (stream, windowHeights) => {
        const c = new SafetyChecker({ windowHeights });
        for (const e of stream) assert.deepEqual(feed(c, e), []);
        assert.equal(c.violationCount(), 0);
      }),
    );
  });

  it('one conflicting reading at a height that is also read honestly always raises, exactly once', () => {
    fc.assert(
      fc.property(honestStream, fc.nat(), fc.nat(), (stream, pick, at) => {
        const target = stream[pick % stream.length].o;
        const evil = obs('byzantine', -1, target.height, `evil${target.height}`);
        const withEvil = [...stream];
        withEvil.splice(at % (stream.length + 1), 0, { tip: false, o: evil });
        const c = new SafetyChecker(); // window larger than any generated chain
        const raised = withEvil.flatMap((e) => feed(c, e));
        assert.equal(raised.length, 1);
        assert.equal(raised[0].kind, 'conflicting-finality');
        assert.equal(raised[0].kind === 'conflicting-finality' && raised[0].height, target.height);
      }),
    );
  });
});
