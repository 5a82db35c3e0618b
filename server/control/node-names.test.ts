// A scenario names nodes by name; resolveNames turns them into ids wherever a node is named,
// including a node-targeted fault's `select: { pick: 'ids' }`, and leaves counted selectors be.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveNames } from './node-names.ts';
import { nodeReferences } from '../scenarios/scenario-check.ts';

const ids: Record<string, string> = { 'node-1': 'id-1', 'node-2': 'id-2', 'node-3': 'id-3' };
const idOf = (name: string) => ids[name] ?? name;

describe('resolveNames on node-targeted faults', () => {
  it('maps the names of a select.ids to ids, keeps node as before, and leaves a counted selector and its seed alone', () => {
    assert.deepEqual(resolveNames({ kind: 'pause', select: { pick: 'ids', ids: ['node-1', 'node-3'] }, durationSec: 5 }, idOf), {
      kind: 'pause',
      select: { pick: 'ids', ids: ['id-1', 'id-3'] },
      durationSec: 5,
    });
    assert.deepEqual(resolveNames({ kind: 'kill', node: 'node-2' }, idOf), { kind: 'kill', node: 'id-2' });
    assert.deepEqual(resolveNames({ kind: 'clock-skew', select: { pick: 'random-k', k: 2 }, seed: 7, offsetMs: 100 }, idOf), {
      kind: 'clock-skew',
      select: { pick: 'random-k', k: 2 },
      seed: 7,
      offsetMs: 100,
    });
  });

  it('the scenario check sees the names in a selector, so an unknown one is refused at submit', () => {
    assert.deepEqual(nodeReferences(resolveNames({ kind: 'restart', select: { pick: 'ids', ids: ['node-2', 'node-9'] } }, (n) => n)), [
      { path: 'select.ids.0', name: 'node-2' },
      { path: 'select.ids.1', name: 'node-9' },
    ]);
  });

  it('node and select together are refused with the schema’s message', () => {
    assert.throws(() => resolveNames({ kind: 'pause', node: 'node-1', select: { pick: 'one' } }, idOf), /give exactly one of node/);
  });
});
