import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { peerLink } from './peerLinkFixture.ts';
import { groupLinksByNode, groupSummary } from './nodeGroups.ts';

const link = peerLink;

const nodes = ['n1', 'n2', 'n10'].map((id) => ({ id, name: `node-${id.slice(1)}` }));
const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;

test('each report is listed once, under the node that made it, peers in name order', () => {
  const links = [link('n1', 'n10'), link('n1', 'n2'), link('n2', 'n1'), link('n10', 'n1', { carrying: false, faults: ['partition #2'], blockedBy: ['partition #2'] })];
  const groups = groupLinksByNode(nodes, links, nameOf);
  assert.deepEqual(
    groups.map((g) => [g.node.name, g.links.map((l) => nameOf(l.peerId!))]),
    [
      ['node-1', ['node-2', 'node-10']],
      ['node-2', ['node-1']],
      ['node-10', ['node-1']],
    ],
  );
  assert.equal(
    groups.reduce((n, g) => n + g.links.length, 0),
    links.length,
  );
  assert.deepEqual(groups[2].counts, { connected: 0, blocked: 1, silent: 0, down: 0 });
});

test('a node that reports nothing has no group; unidentified peers are listed but not counted', () => {
  const groups = groupLinksByNode(nodes, [link('n1', null, { peerName: null, carrying: false, state: 'connecting' }), link('n1', 'n2')], nameOf);
  assert.deepEqual(
    groups.map((g) => g.node.id),
    ['n1'],
  );
  assert.equal(groups[0].links.length, 2);
  assert.deepEqual(groups[0].counts, { connected: 1, blocked: 0, silent: 0, down: 0 });
});

test('a group heading says how many peers carry traffic and what else is wrong, short enough for a tile', () => {
  assert.equal(groupSummary({ connected: 1, blocked: 2, silent: 0, down: 0 }), '1 peer · 2 blocked');
  assert.equal(groupSummary({ connected: 3, blocked: 0, silent: 1, down: 1 }), '3 peers · 1 silent · 1 down');
});
