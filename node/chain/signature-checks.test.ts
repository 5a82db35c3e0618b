// Hashing and signature checks on the fast paths: node:crypto SHA-256 gives the bytes
// @noble/hashes gives, the worker-thread pool answers exactly as verifyBytes and as
// @noble/curves, and checking a batch ahead of import (sync) never lets a bad signature in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Block } from '../../wire/node-api.ts';
import { RoundRobinPoa } from '../consensus/poa/round-robin-poa.ts';
import { testChain } from '../testkit/chain-builder.ts';
import { preverifySignatures, txRoot, verifyBlockSignature, verifyTxSignature } from './block.ts';
import { Chain } from './chain.ts';
import { canonicalBytes, hashCanonical, sha256Canonical, sha256Hex } from './encoding.ts';
import { ChainError } from './errors.ts';
import { genesisBlock } from './genesis.ts';
import { generateKeyPair, signBytes, verifyBytes } from './keys.ts';
import { SignaturePool } from './signature-pool.ts';

/** The tx root as it was computed with @noble/hashes before the switch to node:crypto. */
function nobleTxRoot(hashes: string[]): string {
  if (hashes.length === 0) return bytesToHex(sha256(new Uint8Array(0)));
  let level: Uint8Array[] = hashes.map((h) => hexToBytes(h));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const buf = new Uint8Array(64);
      buf.set(level[i], 0);
      buf.set(level[i + 1] ?? level[i], 32);
      next.push(sha256(buf));
    }
    level = next;
  }
  return bytesToHex(level[0]);
}

const flip = (hex: string, at = 10) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);

describe('hashing through node:crypto', () => {
  it('gives the SHA-256 @noble/hashes gives, for canonical values and tx roots', () => {
    const values = [{}, { a: 1, b: 'ünïcode ✓', c: [true, null, { d: -0 }] }, 'x'.repeat(10_000)];
    for (const v of values) {
      assert.equal(hashCanonical(v), bytesToHex(sha256(canonicalBytes(v))));
      assert.equal(bytesToHex(sha256Canonical(v)), bytesToHex(sha256(canonicalBytes(v))), 'the envelope digest too');
      assert.equal(sha256Hex(canonicalBytes(v)), bytesToHex(sha256(canonicalBytes(v))));
    }
    for (const n of [0, 1, 2, 3, 7, 64]) {
      const hashes = Array.from({ length: n }, (_, i) => sha256Hex(new Uint8Array([i])));
      assert.equal(txRoot(hashes.map((hash) => ({ hash }))), nobleTxRoot(hashes));
    }
  });

  it('refuses a tx root over something that is not a 32-byte lowercase hex hash', () => {
    assert.throws(() => txRoot([{ hash: 'zz'.repeat(32) }]), ChainError);
    assert.throws(() => txRoot([{ hash: 'AB'.repeat(32) }]), ChainError);
  });
});

describe('signature checks', () => {
  it('the worker pool agrees with verifyBytes and @noble/curves on valid and invalid signatures', async () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const msg = sha256Hex(new Uint8Array([1, 2, 3]));
    const sig = signBytes(hexToBytes(msg), a);
    const cases: Array<[string, string, string]> = [
      [msg, sig, a.publicKey], // valid
      [msg, sig, b.publicKey], // other key
      [flip(msg), sig, a.publicKey], // other message
      [msg, flip(sig), a.publicKey], // damaged R half
      [msg, flip(sig, 100), a.publicKey], // damaged S half
      [msg, 'ff'.repeat(64), a.publicKey], // S out of range
      [msg, 'zz', a.publicKey], // malformed
      [msg, sig.toUpperCase(), a.publicKey], // not lowercase hex
      [msg, sig, 'ff'.repeat(32)], // not a curve point
      [msg, sig, '00'.repeat(32)], // small-order point
    ];
    const pool = new SignaturePool(2);
    try {
      const fromPool = await pool.verifyAll(cases.map(([hash, signature, publicKey]) => ({ hash, signature, publicKey })));
      cases.forEach(([hash, s, pub], i) => {
        const sync = verifyBytes(hexToBytes(hash), s, pub);
        assert.equal(fromPool[i], sync, `pool and verifyBytes disagree on case ${i}`);
        let noble: boolean;
        try {
          noble = /^[0-9a-f]{128}$/.test(s) && ed25519.verify(hexToBytes(s), hexToBytes(hash), hexToBytes(pub));
        } catch {
          noble = false;
        }
        assert.equal(sync, noble, `node:crypto and noble disagree on case ${i}`);
      });
      assert.deepEqual(
        fromPool.map((ok) => (ok ? 1 : 0)),
        [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      );
      // Many at once, split over both workers, answers in order.
      const many = Array.from({ length: 101 }, (_, i) => {
        const hash = sha256Hex(new Uint8Array([i]));
        const signature = signBytes(hexToBytes(hash), a);
        return { hash, signature: i % 7 === 3 ? flip(signature) : signature, publicKey: a.publicKey };
      });
      assert.deepEqual(
        await pool.verifyAll(many),
        many.map((_, i) => i % 7 !== 3),
      );
    } finally {
      await pool.close();
    }
  });

  it('a closed pool answers "not checked" (false), never true', async () => {
    const a = generateKeyPair();
    const hash = sha256Hex(new Uint8Array([9]));
    const pool = new SignaturePool(1);
    assert.deepEqual(await pool.verifyAll([{ hash, signature: signBytes(hexToBytes(hash), a), publicKey: a.publicKey }]), [true]);
    await pool.close();
    assert.deepEqual(await pool.verifyAll([{ hash, signature: signBytes(hexToBytes(hash), a), publicKey: a.publicKey }]), [false]);
  });

  it('checks a batch ahead of import, and a bad signature is still rejected by the import', async () => {
    const t = testChain({ seed: 'preverify' });
    const g = genesisBlock(t.genesis);
    const b1 = t.block(g, { txs: [t.transfer(t.accounts[0], t.accounts[1], 5, 0)] });
    const goodTx = t.transfer(t.accounts[0], t.accounts[1], 5, 1);
    const forgedTx = { ...goodTx, signature: flip(goodTx.signature) };
    const b2 = t.block(b1, { txs: [forgedTx] }); // the proposer signs a block holding a forged tx
    const b2Forged: Block = { ...t.block(b1), signature: flip(t.block(b1).signature) };

    assert.equal(await preverifySignatures([b1, b2, b2Forged]), 2);
    // The failures were not remembered: the ordinary checks still say no.
    assert.equal(verifyTxSignature(forgedTx), false);
    assert.equal(verifyBlockSignature(b2Forged), false);

    const chain = new Chain(t.genesis, new RoundRobinPoa(t.genesis));
    const nowMs = Number.MAX_SAFE_INTEGER;
    assert.equal(chain.importBlock(b1, { nowMs }).status, 'accepted');
    assert.throws(
      () => chain.importBlock(b2, { nowMs }),
      (e: unknown) => e instanceof ChainError && e.code === 'TX_SIGNATURE_INVALID',
    );
    assert.throws(
      () => chain.importBlock(b2Forged, { nowMs }),
      (e: unknown) => e instanceof ChainError && e.code === 'BLOCK_SIGNATURE_INVALID',
    );
    assert.equal(chain.headRef().hash, b1.hash);
  });

  it('a remembered signature vouches only for the hash and key it was checked against', async () => {
    const t = testChain({ seed: 'memo' });
    const g = genesisBlock(t.genesis);
    const tx = t.transfer(t.accounts[0], t.accounts[1], 5, 0);
    const block = t.block(g, { txs: [tx] });
    assert.equal(await preverifySignatures([block]), 0);
    // Same signature bytes, other hash or other signer: checked for real, and refused.
    assert.equal(verifyTxSignature({ ...tx, hash: flip(tx.hash) }), false);
    assert.equal(verifyTxSignature({ ...tx, from: t.accounts[2].publicKey }), false);
    assert.equal(verifyBlockSignature({ ...block, hash: flip(block.hash) }), false);
    assert.equal(verifyBlockSignature(block), true);
    assert.equal(verifyTxSignature(tx), true);
  });
});
