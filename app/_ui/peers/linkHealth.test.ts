import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { peerLink } from './peerLinkFixture.ts';
import { faultLabel, linkTone, pairLinks } from './linkHealth.ts';

const link = peerLink;

test('a link is judged by state, errors and round-trip time', () => {
  assert.equal(linkTone(link('a', 'b')), 'ok');
  assert.equal(linkTone(link('a', 'b', { rttMs: 80 })), 'slow');
  assert.equal(linkTone(link('a', 'b', { rttMs: 400 })), 'bad');
  assert.equal(linkTone(link('a', 'b', { errors: 1 })), 'bad');
  assert.equal(linkTone(link('a', 'b', { state: 'backoff', rttMs: null })), 'bad');
});

test('both ends of a connection make one pair, judged by its worst report', () => {
  const pairs = pairLinks([link('a', 'b'), link('b', 'a', { direction: 'inbound', state: 'backoff' }), link('a', 'c', { rttMs: 60 }), link('c', null)]);
  assert.equal(pairs.length, 2);
  const ab = pairs.find((p) => p.b === 'b')!;
  assert.equal(ab.reports.length, 2);
  assert.equal(ab.tone, 'bad');
  assert.equal(ab.broken, true);
  const ac = pairs.find((p) => p.b === 'c')!;
  assert.equal(ac.tone, 'slow');
  assert.equal(ac.rttMs, 60);
});

test('a pair carries the chaos faults either end reports, each once, oldest action first', () => {
  const pairs = pairLinks([
    link('a', 'b', { faults: ['partition #3'] }),
    link('b', 'a', { direction: 'inbound', faults: ['latency 200±50 ms #7', 'partition #3'] }),
    link('a', 'c'),
  ]);
  const ab = pairs.find((p) => p.b === 'b')!;
  assert.deepEqual(ab.faults, ['partition #3', 'latency 200±50 ms #7']);
  assert.deepEqual(pairs.find((p) => p.b === 'c')!.faults, []);
  assert.equal(faultLabel(ab.faults), 'partition #3 +1');
  assert.equal(faultLabel(['loss 5% #2']), 'loss 5% #2');
  assert.equal(faultLabel([]), '');
});
