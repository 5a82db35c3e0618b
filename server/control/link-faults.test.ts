import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import { rulesForNode } from './link-faults.ts';

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

  it('rejects malformed actions with a clear message', () => {
    const bad = ChaosActionSchema.safeParse({ kind: 'partition', groups: [['a', 'b']] });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0].message, /at least two groups/);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'loss', pct: 300 }).success, false);
    assert.equal(ChaosActionSchema.safeParse({ kind: 'nuke' }).success, false);
  });
});
