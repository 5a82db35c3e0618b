import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePeerUrl, parseCheckpoint } from './config.ts';

describe('node config', () => {
  it('derives the P2P URL from http, ws or bare host:port', () => {
    assert.equal(normalizePeerUrl('http://127.0.0.1:7001'), 'ws://127.0.0.1:7001/p2p');
    assert.equal(normalizePeerUrl('https://node.example:443/'), 'wss://node.example/p2p');
    assert.equal(normalizePeerUrl('ws://127.0.0.1:7001/p2p'), 'ws://127.0.0.1:7001/p2p');
    assert.equal(normalizePeerUrl('127.0.0.1:7002'), 'ws://127.0.0.1:7002/p2p');
    assert.throws(() => normalizePeerUrl('ftp://x:1'), /unsupported scheme/);
  });

  it('parses HEIGHT:HASH checkpoints', () => {
    assert.deepEqual(parseCheckpoint(`12:${'A'.repeat(64)}`), { height: 12, hash: 'a'.repeat(64) });
    assert.throws(() => parseCheckpoint('12:abc'), /HEIGHT:HASH/);
  });
});
