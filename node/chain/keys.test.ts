import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { deterministicKeyPair, generateKeyPair, keyPairFromSeed, signBytes, verifyBytes } from './keys.ts';

describe('Ed25519 keys', () => {
  it('node:crypto signatures are the RFC 8032 signatures @noble/curves makes and accepts', () => {
    for (let i = 0; i < 20; i++) {
      const kp = generateKeyPair();
      const msg = new TextEncoder().encode(`message ${i}`);
      const sig = signBytes(msg, kp);
      assert.equal(sig, bytesToHex(ed25519.sign(msg, hexToBytes(kp.secretKey))));
      assert.ok(ed25519.verify(hexToBytes(sig), msg, hexToBytes(kp.publicKey)));
      assert.ok(verifyBytes(msg, sig, kp.publicKey));
    }
  });

  it('rejects a signature over other bytes, by another key, or malformed', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const msg = new Uint8Array([1, 2, 3]);
    const sig = signBytes(msg, a);
    assert.equal(verifyBytes(new Uint8Array([1, 2, 4]), sig, a.publicKey), false);
    assert.equal(verifyBytes(msg, sig, b.publicKey), false);
    assert.equal(verifyBytes(msg, 'zz', a.publicKey), false);
    assert.equal(verifyBytes(msg, sig, 'ff'.repeat(32)), false);
  });

  it('derives the public key RFC 8032 and @noble/curves derive from a seed', () => {
    // RFC 8032 section 7.1, test 1.
    assert.equal(keyPairFromSeed('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60').publicKey, 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    for (let i = 0; i < 20; i++) {
      const kp = generateKeyPair();
      assert.match(kp.secretKey, /^[0-9a-f]{64}$/);
      assert.equal(kp.publicKey, bytesToHex(ed25519.getPublicKey(hexToBytes(kp.secretKey))));
    }
    assert.throws(() => keyPairFromSeed('ab'), /KEY_INVALID|32-byte hex/);
  });

  it('derives the same key from the same label', () => {
    assert.deepEqual(deterministicKeyPair('x'), deterministicKeyPair('x'));
    assert.notEqual(deterministicKeyPair('x').publicKey, deterministicKeyPair('y').publicKey);
    const kp = deterministicKeyPair('x');
    assert.deepEqual(keyPairFromSeed(kp.secretKey), kp);
  });
});
