import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import { actionTargets, rulesForNode } from './link-faults.ts';
import { withResolvedShape } from './partition-shapes.ts';

const nodes = ['a', 'b', 'c', 'd'];
const parse = (body: unknown): ChaosAction => ChaosActionSchema.parse(body);
const peersOf = (rules: ReturnType<typeof rulesForNode>) => rules.map((r) => `${r.peer}:${r.direction}`).sort();

describe('rulesForNode', () => {
  it('a 2|2 partition drops both directions to the other group only', () => {
    const p = parse({
      kind: 'partition',
      groups: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
    assert.deepEqual(peersOf(rulesForNode('a', [p], nodes)), ['c:both', 'd:both']);
    assert.deepEqual(peersOf(rulesForNode('d', [p], nodes)), ['a:both', 'b:both']);
    assert.ok(rulesForNode('a', [p], nodes).every((r) => r.drop));
  });

  it('a one-way partition silences the first group’s inbound side only', () => {
    const p = parse({ kind: 'partition', groups: [['a'], ['b', 'c', 'd']], oneWay: true });
    assert.deepEqual(peersOf(rulesForNode('a', [p], nodes)), ['b:in', 'c:in', 'd:in']);
    assert.deepEqual(peersOf(rulesForNode('b', [p], nodes)), ['a:out']);
  });

  it('latency on one node covers its links in both directions; faults combine', () => {
    const lat = parse({ kind: 'latency', target: { node: 'b' }, delayMs: 200, jitterMs: 50 });
    const loss = parse({ kind: 'loss', target: { from: 'a', to: 'c' }, pct: 20 });
    const onA = rulesForNode('a', [lat, loss], nodes);
    assert.deepEqual(peersOf(onA), ['b:out', 'c:out']);
    assert.equal(onA.find((r) => r.peer === 'b')!.delayMs, 200);
    assert.equal(onA.find((r) => r.peer === 'c')!.lossPct, 20);
    assert.deepEqual(peersOf(rulesForNode('b', [lat], nodes)), ['a:out', 'c:out', 'd:out']);
    assert.deepEqual(rulesForNode('c', [loss], nodes), []);
  });

  it('a resolved majorities-ring drops both ways exactly the links outside each node’s view; unresolved, nothing', () => {
    const five = ['a', 'b', 'c', 'd', 'e'];
    const ring = withResolvedShape(parse({ kind: 'partition-shape', shape: 'majorities-ring', seed: 3 }), five, () => 0);
    assert.ok(ring.kind === 'partition-shape' && ring.resolved && ring.seed === 3);
    const views: Record<string, string[]> = ring.resolved.views;
    for (const self of five) {
      const view = views[self];
      const outside = five.filter((p) => !view.includes(p)).map((p) => `${p}:both`);
      assert.deepEqual(peersOf(rulesForNode(self, [ring], five)), outside);
      assert.ok(rulesForNode(self, [ring], five).every((r) => r.drop));
    }
    assert.deepEqual(actionTargets(ring, five), five);
    assert.deepEqual(rulesForNode('a', [parse({ kind: 'partition-shape', shape: 'majorities-ring' })], five), []);
  });

  it('a bridge keeps the bridge node’s links; a seed drawn when absent is the one recorded', () => {
    const bridge = withResolvedShape(parse({ kind: 'partition-shape', shape: 'bridge' }), nodes, () => 99);
    assert.ok(bridge.kind === 'partition-shape' && bridge.resolved && bridge.seed === 99 && bridge.resolved.seed === 99);
    assert.deepEqual(rulesForNode(bridge.resolved.bridge!, [bridge], nodes), []);
    const [left, right] = bridge.resolved.groups;
    assert.deepEqual(
      peersOf(rulesForNode(left[0], [bridge], nodes)),
      right.map((p) => `${p}:both`),
    );
  });

  it('rejects malformed actions with a clear message', () => {
    const bad = ChaosActionSchema.safeParse({ kind: 'partition', groups: [['a', 'b']] });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0].message, /at least two groups/);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'loss', pct: 300 }).success, false);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'nuke' }).success, false);
  });
});
