// The up-front node check of a scenario: names and ids of known nodes pass, an unknown one is
// reported with its step index and field, in run order; after an add-node step nothing is checked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioSchema } from '../../wire/scenario.ts';
import { unknownNodeReference } from './scenario-check.ts';

const known = [
  { id: 'aa11', name: 'node-1' },
  { id: 'bb22', name: 'node-2' },
];
const check = (steps: unknown[]) => unknownNodeReference(ScenarioSchema.parse({ name: 's', steps }), known);

describe('unknownNodeReference', () => {
  it('passes names and ids of known nodes in every field that names a node', () => {
    assert.equal(
      check([
        { at: 0, do: { kind: 'partition', groups: [['node-1'], ['bb22']] } },
        { at: 1, do: { kind: 'latency', target: { from: 'node-1', to: 'node-2' }, delayMs: 5 } },
        { at: 2, do: { kind: 'kill', node: 'aa11' } },
        { at: 3, do: { kind: 'heal' } },
      ]),
      null,
    );
  });

  it('names the step (its index as submitted) and the field of the first unknown node in run order', () => {
    assert.equal(
      check([
        { at: 5, do: { kind: 'pause', node: 'late' } },
        { at: 1, do: { kind: 'loss', target: { node: 'early' }, pct: 5 } },
      ]),
      'steps.1.do.target.node: no node named early (known: node-1, node-2)',
    );
  });

  it('checks nothing after an add-node step: the new node is only named once it exists', () => {
    assert.equal(
      check([
        { at: 0, do: { kind: 'add-node' } },
        { at: 1, do: { kind: 'pause', node: 'node-3' } },
      ]),
      null,
    );
    assert.match(
      check([
        { at: 0, do: { kind: 'pause', node: 'node-3' } },
        { at: 1, do: { kind: 'add-node' } },
      ]) ?? '',
      /steps\.0\.do\.node/,
    );
  });
});
