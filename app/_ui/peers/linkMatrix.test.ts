import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { peerLink } from './peerLinkFixture.ts';
import { cellSize, labelEvery, linkMatrix } from './linkMatrix.ts';
import { countedPeers, reportState, stateLabel } from './linkState.ts';

const link = peerLink;

const blockedBy = (fault: string): Partial<PeerLinkInfo> => ({ faults: [fault], blockedBy: [fault], carrying: false, silentMs: 12_000 });

/** Every link of a full mesh, from both ends; `cross` links between the halves {a,b}|{c,d} get `over`. */
function mesh(ids: string[], cross: Partial<PeerLinkInfo> = {}): PeerLinkInfo[] {
  const side = (id: string) => (id === 'a' || id === 'b' ? 0 : 1);
  return ids.flatMap((n) => ids.filter((p) => p !== n).map((p) => link(n, p, side(n) !== side(p) ? cross : {})));
}

const nodes = ['a', 'b', 'c', 'd'].map((id) => ({ id, name: `node-${id}` }));

test('a report is connected only while it carries traffic; a blocking fault names the state', () => {
  assert.equal(reportState(link('a', 'b')), 'connected');
  assert.equal(reportState(link('a', 'b', blockedBy('partition #3'))), 'blocked');
  assert.equal(stateLabel(link('a', 'b', blockedBy('partition #3'))), 'blocked by partition #3');
  // Up, but a loss fault (not blocking) or a fresh reconnect has delivered nothing lately.
  assert.equal(reportState(link('a', 'b', { carrying: false, silentMs: 11_000 })), 'silent');
  assert.equal(stateLabel(link('a', 'b', { carrying: false, silentMs: 11_400 })), 'connected, silent for 11 s');
  assert.equal(reportState(link('a', 'b', { state: 'backoff', carrying: false })), 'down');
  // Blocked as soon as the fault is in force, though traffic arrived within the carrying window.
  assert.equal(reportState(link('a', 'b', { faults: ['partition #4'], blockedBy: ['partition #4'], carrying: true })), 'blocked');
  assert.equal(countedPeers([link('a', 'b', { faults: ['partition #4'], blockedBy: ['partition #4'], carrying: true }), link('a', 'c')]), 1);
  // A fault that does not block what this end receives (the far side of a one-way partition).
  assert.equal(reportState(link('a', 'b', { faults: ['one-way partition #4'] })), 'connected');
  // A report from an older node (no `carrying`) counts a connected link.
  assert.equal(reportState(link('a', 'b', { carrying: undefined })), 'connected');
});

test('under a 2|2 partition each node counts one peer and its cross links are blocked', () => {
  const links = mesh(['a', 'b', 'c', 'd'], blockedBy('partition #3'));
  const m = linkMatrix(nodes, links);
  assert.deepEqual(
    m.rows.map((r) => r.counted),
    [1, 1, 1, 1],
  );
  assert.deepEqual(m.totals, { connected: 4, blocked: 8, silent: 0, down: 0, none: 0 });
  const ac = m.rows[0].cells[2]!;
  assert.equal(ac.state, 'blocked');
  assert.deepEqual(ac.blockedBy, ['partition #3']);
  assert.equal(ac.fromRow?.nodeId, 'a');
  assert.equal(ac.fromCol?.nodeId, 'c');
  assert.equal(m.rows[0].cells[0], null, 'the diagonal is empty');
  assert.equal(countedPeers(links.filter((l) => l.nodeId === 'a')), 1);
});

test('cells are the row node’s own report: shaded by RTT, a missing report is no link', () => {
  const links = [link('a', 'b', { rttMs: 80 }), link('b', 'a', { rttMs: 2 }), link('a', 'c', { state: 'backoff', carrying: false, rttMs: null }), link('c', 'd', { rttMs: 400 })];
  const m = linkMatrix(nodes, links);
  const cell = (r: number, c: number) => m.rows[r].cells[c]!;
  assert.equal(cell(0, 1).tone, 'slow');
  assert.equal(cell(1, 0).tone, 'ok');
  assert.equal(cell(0, 2).state, 'down');
  assert.equal(cell(0, 2).tone, null);
  assert.equal(cell(2, 0).state, 'none');
  assert.equal(cell(2, 0).fromCol?.state, 'backoff', 'the details still show the other end');
  assert.equal(cell(2, 3).tone, 'bad');
  assert.equal(cell(3, 2).state, 'none');
});

test('of two reports of one peer (a live link and a departed one) the live one is drawn', () => {
  const m = linkMatrix(nodes, [link('a', 'b', { state: 'disconnected', carrying: false }), link('a', 'b')]);
  assert.equal(m.rows[0].cells[1]!.state, 'connected');
  assert.equal(m.rows[0].counted, 1);
});

test('the matrix of 64 nodes fits in about 600 px, its labels thinned', () => {
  assert.equal(cellSize(4), 28);
  assert.equal(cellSize(16), 28);
  assert.ok(cellSize(64) * 64 <= 640);
  assert.ok(cellSize(64) >= 9);
  assert.deepEqual([labelEvery(8), labelEvery(16), labelEvery(32), labelEvery(64)], [1, 1, 2, 4]);
});
