import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickOutboundPeers } from './outbound-peers.ts';

const urls = Array.from({ length: 47 }, (_, i) => `ws://127.0.0.1:${7001 + i}/p2p`);

describe('outbound peer choice', () => {
  it('dials every configured peer when there are enough slots', () => {
    assert.deepEqual(pickOutboundPeers(urls.slice(0, 5), 32, 'aaaa'), urls.slice(0, 5));
  });

  it('takes a stable subset per node, and different nodes take different subsets', () => {
    const a = pickOutboundPeers(urls, 32, '1111111111111111');
    assert.equal(a.length, 32);
    assert.equal(new Set(a).size, 32);
    assert.ok(a.every((u) => urls.includes(u)));
    assert.deepEqual(pickOutboundPeers(urls, 32, '1111111111111111'), a, 'same node, same choice');
    assert.notDeepEqual(pickOutboundPeers(urls, 32, '2222222222222222'), a, 'another node, another choice');
  });

  it('spreads the dials: no URL is left out by every node of a big testnet', () => {
    const chosen = new Set(Array.from({ length: 48 }, (_, i) => pickOutboundPeers(urls, 32, `node-${i}`)).flat());
    assert.equal(chosen.size, urls.length);
  });
});
