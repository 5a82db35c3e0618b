// Node-targeted faults: the schema takes exactly one of node and select; a selector is resolved
// once, with a seed (drawn when absent), into the recorded `resolvedTargets`; and the same
// selector and seed over the same nodes, in any order, pick the same nodes again (what lets a
// restart undo a kill that was given a selector).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import { isNodeTargeted, nodesOf, NODE_TARGETED_KINDS, sameTargets, withResolvedTargets } from './node-targets.ts';
import { TargetSelectionError } from './target-selectors.ts';
import { actionTargets } from './link-faults.ts';

const nodes = ['n1', 'n2', 'n3', 'n4'];
/** The smallest valid body of each kind, without its target. */
const extra: Record<(typeof NODE_TARGETED_KINDS)[number], object> = {
  pause: {},
  resume: {},
  'clock-skew': { offsetMs: 1_000 },
  'clock-strobe': { deltaMs: 1_000, periodMs: 500 },
  'clock-bump': { deltaMs: 1_000 },
  kill: {},
  restart: {},
  equivocate: {},
  'withhold-votes': {},
  'delay-proposals': { delayMs: 500 },
};
const parse = (body: object) => ChaosActionSchema.safeParse(body);
const never = () => {
  throw new Error('no seed may be drawn when the request brings one');
};

describe('node-targeted faults: schema', () => {
  it('every node-targeted kind takes node or select (with an optional seed), and refuses both or neither with one clear message', () => {
    for (const kind of NODE_TARGETED_KINDS) {
      assert.ok(parse({ kind, node: 'n1', ...extra[kind] }).success, `${kind} with node`);
      assert.ok(parse({ kind, select: { pick: 'minority' }, ...extra[kind] }).success, `${kind} with select`);
      assert.ok(parse({ kind, select: { pick: 'random-k', k: 2 }, seed: 7, ...extra[kind] }).success, `${kind} with select and seed`);
      for (const bad of [{}, { node: 'n1', select: { pick: 'all' } }]) {
        const r = parse({ kind, ...bad, ...extra[kind] });
        assert.equal(r.success, false, `${kind} ${JSON.stringify(bad)}`);
        assert.deepEqual(
          r.error!.issues.map((i) => [i.path.join('.'), i.message]),
          [['node', 'give exactly one of node (a node id or name) or select (a target selector such as {"pick":"minority"})']],
        );
      }
    }
  });

  it('a selector is checked by its own schema (unknown pick, random-k without k, a negative seed)', () => {
    assert.equal(parse({ kind: 'pause', select: { pick: 'most' } }).success, false);
    assert.equal(parse({ kind: 'pause', select: { pick: 'random-k' } }).success, false);
    assert.equal(parse({ kind: 'pause', select: { pick: 'one' }, seed: -1 }).success, false);
  });
});

describe('node-targeted faults: resolution', () => {
  const action = (body: object) => ChaosActionSchema.parse(body);

  it('a node stays as given; a resolvedTargets the request sent is dropped', () => {
    const a = withResolvedTargets(action({ kind: 'pause', node: 'n2', resolvedTargets: ['n1', 'n3'] }), nodes, never);
    assert.deepEqual(a, { kind: 'pause', node: 'n2' });
    assert.ok(isNodeTargeted(a));
    assert.deepEqual(nodesOf(a), ['n2']);
    assert.deepEqual(actionTargets(a, nodes), ['n2'], 'the record’s targets');
  });

  it('a selector is resolved with the seed it brought, into resolvedTargets (a sent one is replaced), which the record’s targets read', () => {
    const a = withResolvedTargets(action({ kind: 'clock-skew', select: { pick: 'random-k', k: 2 }, seed: 7, offsetMs: 5, resolvedTargets: ['x'] }), nodes, never);
    assert.ok(a.kind === 'clock-skew');
    assert.equal(a.seed, 7);
    assert.equal(a.resolvedTargets!.length, 2);
    assert.ok(a.resolvedTargets!.every((id) => nodes.includes(id)));
    assert.deepEqual(nodesOf(a), a.resolvedTargets);
    assert.deepEqual(actionTargets(a, nodes), a.resolvedTargets);
  });

  it('without a seed one is drawn and recorded', () => {
    const a = withResolvedTargets(action({ kind: 'pause', select: { pick: 'minority' } }), nodes, () => 42);
    assert.ok(a.kind === 'pause');
    assert.equal(a.seed, 42);
    assert.equal(a.resolvedTargets!.length, 1, 'the strict minority of 4 is one node');
  });

  it('the same selector and seed pick the same nodes over the same nodes in any order; a restart built from a kill’s targets restarts them', () => {
    for (let seed = 0; seed < 40; seed++) {
      const kill = withResolvedTargets(action({ kind: 'kill', select: { pick: 'minority-third' }, seed }), nodes, never) as ChaosAction;
      assert.ok(kill.kind === 'kill');
      const restart = withResolvedTargets(action({ kind: 'restart', ...sameTargets(kill) }), [...nodes].reverse(), never);
      assert.ok(restart.kind === 'restart');
      assert.deepEqual(nodesOf(restart), nodesOf(kill), `seed ${seed}`);
    }
    const picks = new Set(
      Array.from({ length: 40 }, (_, seed) => nodesOf(withResolvedTargets(action({ kind: 'kill', select: { pick: 'one' }, seed }), nodes, never) as never).join()),
    );
    assert.ok(picks.size > 1, 'other seeds pick other nodes');
    assert.deepEqual(sameTargets(action({ kind: 'kill', node: 'n3' }) as never), { node: 'n3' });
  });

  it('a selector that cannot be met is a coded error (CHAOS_BAD_TARGET), not a fault on fewer nodes', () => {
    assert.throws(
      () => withResolvedTargets(action({ kind: 'pause', select: { pick: 'random-k', k: 5 } }), nodes, () => 1),
      (err: unknown) => err instanceof TargetSelectionError && err.code === 'CHAOS_BAD_TARGET' && /asks for 5 nodes, only 4/.test(err.message),
    );
    assert.throws(
      () => withResolvedTargets(action({ kind: 'pause', select: { pick: 'ids', ids: ['n9'] } }), nodes, () => 1),
      (err: unknown) => err instanceof TargetSelectionError && /unknown node\(s\): n9/.test(err.message),
    );
    // minority-third of 3 nodes is f = 0: nothing to pick.
    assert.throws(() => withResolvedTargets(action({ kind: 'pause', select: { pick: 'minority-third' } }), nodes.slice(0, 3), () => 1), /picks no node out of 3/);
  });

  it('other kinds pass through untouched', () => {
    const loss = action({ kind: 'loss', pct: 5 });
    assert.equal(withResolvedTargets(loss, nodes, never), loss);
    assert.equal(isNodeTargeted(loss), false);
  });
});
