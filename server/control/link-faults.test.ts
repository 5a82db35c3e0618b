import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import { actionTargets, linkFaultsBetween, rulesForNode } from './link-faults.ts';
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

  it('reorder, corrupt, correlation, seed and burst become the matching rule fields; old bodies stay valid', () => {
    const reorder = parse({ kind: 'reorder', target: { from: 'a', to: 'b' }, pct: 25, correlation: 50, seed: 9 });
    const corrupt = parse({ kind: 'corrupt', target: { from: 'a', to: 'c' }, pct: 5 });
    const loss = parse({ kind: 'loss', target: { from: 'a', to: 'd' }, pct: 10, correlation: 75 });
    const bw = parse({ kind: 'bandwidth', target: { from: 'a', to: 'b' }, bytesPerSec: 5000, burst: 20_000 });
    const lat = parse({ kind: 'latency', target: { from: 'a', to: 'c' }, delayMs: 100, jitterMs: 20, correlation: 25 });
    const onA = rulesForNode('a', [reorder, corrupt, loss, bw, lat], nodes);
    const fields = ({ peer, direction, drop, delayMs, jitterMs, lossPct, duplicatePct, bandwidthBps, ...rest }: (typeof onA)[number]) => rest;
    assert.deepEqual(onA.map(fields), [
      { reorderPct: 25, reorderGap: 3, seed: 9, reorderCorrelationPct: 50 },
      { corruptPct: 5 },
      { lossCorrelationPct: 75 },
      { bandwidthBurstBytes: 20_000 },
      { delayCorrelationPct: 25 },
    ]);
    assert.equal(onA[3].bandwidthBps, 5000);
    // The bodies that existed before these fields parse as before.
    assert.equal(ChaosActionSchema.safeParse({ kind: 'bandwidth', target: {}, bytesPerSec: 1000 }).success, true);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'reorder', target: {}, pct: 10, gap: 0 }).success, false);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'corrupt', target: {}, pct: 5, correlation: 101 }).success, false);
  });

  it('rejects malformed actions with a clear message', () => {
    const bad = ChaosActionSchema.safeParse({ kind: 'partition', groups: [['a', 'b']] });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0].message, /at least two groups/);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'loss', pct: 300 }).success, false);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'nuke' }).success, false);
  });
});

describe('linkFaultsBetween', () => {
  it('a partition and 100 % loss block what the reporting node receives; latency and partial loss only touch it', () => {
    const part = parse({
      kind: 'partition',
      groups: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
    const lat = parse({ kind: 'latency', target: { node: 'c' }, delayMs: 120, jitterMs: 0 });
    const lossAll = parse({ kind: 'loss', target: { from: 'a', to: 'b' }, pct: 100 });
    const lossSome = parse({ kind: 'loss', target: { from: 'c', to: 'd' }, pct: 30 });
    const active = [part, lat, lossAll, lossSome].map((action, i) => ({ id: i + 1, action }));
    assert.deepEqual(linkFaultsBetween('a', 'c', active, nodes), [
      { label: 'partition #1', blocks: true },
      { label: 'latency 120±0 ms #2', blocks: false },
    ]);
    // Loss 100 % from a to b: nothing reaches b, but a still hears b.
    assert.deepEqual(linkFaultsBetween('b', 'a', active, nodes), [{ label: 'loss 100% #3', blocks: true }]);
    assert.deepEqual(linkFaultsBetween('a', 'b', active, nodes), [{ label: 'loss 100% #3', blocks: false }]);
    assert.deepEqual(linkFaultsBetween('d', 'c', active, nodes), [
      { label: 'latency 120±0 ms #2', blocks: false },
      { label: 'loss 30% #4', blocks: false },
    ]);
    assert.deepEqual(linkFaultsBetween('a', 'b', [{ id: 1, action: part }], nodes), []);
  });

  it('a one-way partition blocks the report of the side that hears nothing, not the other', () => {
    const oneWay = [{ id: 5, action: parse({ kind: 'partition', groups: [['a'], ['b', 'c', 'd']], oneWay: true }) }];
    assert.deepEqual(linkFaultsBetween('a', 'b', oneWay, nodes), [{ label: 'one-way partition #5', blocks: true }]);
    assert.deepEqual(linkFaultsBetween('b', 'a', oneWay, nodes), [{ label: 'one-way partition #5', blocks: false }]);
  });
});
