import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { consensusSentence } from './ConsensusBanner.tsx';

const node = (id: string, name: string, status: NodeStatus['status'] = 'in-sync') => ({ id, name, status }) as NodeStatus;

describe('consensusSentence', () => {
  it('names the fork groups by node name', () => {
    const nodes = [node('a', 'node-1'), node('b', 'node-2')];
    assert.equal(consensusSentence({ status: 'forked', agreedHeight: 9, forkHeight: 10, groups: [['a'], ['b']] }, nodes), 'Forked at height 10: node-1 | node-2');
    assert.equal(consensusSentence({ status: 'forked', agreedHeight: null, groups: [['a'], ['b']] }, nodes), 'Forked (split height unknown): node-1 | node-2');
  });

  it('an agreed BFT network also says how far every node has finalized', () => {
    const nodes = [node('a', 'node-1'), node('b', 'node-2')];
    assert.equal(
      consensusSentence({ status: 'agreed', agreedHeight: 27, engine: 'bft', finalizedHeight: 26 }, nodes),
      'All 2 reachable nodes agree at height 27, finalized at 26 (BFT)',
    );
    assert.equal(consensusSentence({ status: 'agreed', agreedHeight: 27 }, nodes), 'All 2 reachable nodes agree at height 27');
  });

  it('a halted BFT network says where finality stopped and why', () => {
    const nodes = [node('a', 'node-1'), node('b', 'node-2'), node('c', 'node-3', 'down'), node('d', 'node-4', 'down')];
    const sentence = consensusSentence(
      { status: 'halted', agreedHeight: 41, engine: 'bft', finalizedHeight: 41, reason: 'no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)' },
      nodes,
    );
    assert.equal(sentence, 'Halted at finalized height 41: no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)');
  });
});
