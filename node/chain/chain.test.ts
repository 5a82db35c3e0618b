import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block, HeadRef } from '../../wire/node-api.ts';
import { RoundRobinPoa } from '../consensus/poa/round-robin-poa.ts';
import { testChain } from '../testkit/chain-builder.ts';
import { signBlock, signTx, txRoot } from './block.ts';
import { Chain, type HeadChange } from './chain.ts';
import { ChainError, type ChainErrorCode } from './errors.ts';
import { genesisBlock } from './genesis.ts';
import type { ChainRules } from './rules.ts';

const FAR_FUTURE = 8_000_000_000_000;

function setup(opts: { checkpoint?: { height: number; hash: string } } = {}) {
  const t = testChain();
  const engine = new RoundRobinPoa(t.genesis);
  const chain = new Chain(t.genesis, engine, opts.checkpoint ?? null);
  const heads: HeadChange[] = [];
  chain.listen({ onHead: (h) => heads.push(h) });
  const add = (b: Block, now = FAR_FUTURE) => chain.importBlock(b, { nowMs: now });
  return { t, chain, heads, add, g: chain.genesis };
}

function rejects(fn: () => unknown, code: ChainErrorCode): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ChainError, `expected ChainError, got ${e}`);
    assert.equal(e.code, code);
    return true;
  });
}

describe('block validation', () => {
  it('accepts a valid chain and reports each new head', () => {
    const { t, chain, heads, add, g } = setup();
    for (const b of t.extend(g, 5)) assert.equal(add(b).status, 'accepted');
    assert.equal(chain.headRef().height, 5);
    assert.equal(heads.length, 5);
    assert.ok(heads.every((h) => h.reorg === null));
    assert.equal(add(chain.head()).status, 'known');
  });

  it('rejects each kind of invalid block with its own code', () => {
    const { t, add, g } = setup();
    const b1 = t.block(g);
    const mutate = (b: Block, f: (c: Block) => void): Block => {
      const c = structuredClone(b);
      f(c);
      return c;
    };
    rejects(() => add(mutate(b1, (c) => (c.header.chainId = 'other'))), 'BLOCK_CHAIN_ID_WRONG');
    rejects(() => add(mutate(b1, (c) => (c.header.height = 7))), 'BLOCK_HASH_MISMATCH');
    rejects(() => add(mutate(b1, (c) => (c.signature = t.block(g, { slot: g.header.slot + 5 }).signature))), 'BLOCK_SIGNATURE_INVALID');
    // Re-signed by the right key but over a header whose fields break one rule each:
    const k = t.proposerKey;
    const base = { chainId: t.genesis.chainId, height: 1, parentHash: g.hash, proposer: '' };
    const s1 = g.header.slot + 1;
    rejects(() => add(signBlock({ ...base, parentHash: 'ab'.repeat(32), timestamp: s1 * 1000, slot: s1 }, [], k(s1))), 'BLOCK_PARENT_UNKNOWN');
    rejects(() => add(signBlock({ ...base, height: 2, timestamp: s1 * 1000, slot: s1 }, [], k(s1))), 'BLOCK_HEIGHT_INVALID');
    rejects(() => add(signBlock({ ...base, timestamp: g.header.slot * 1000, slot: g.header.slot }, [], k(g.header.slot))), 'BLOCK_SLOT_NOT_INCREASING');
    rejects(() => add(signBlock({ ...base, timestamp: s1 * 1000, slot: s1 }, [], k(s1 + 1))), 'BLOCK_PROPOSER_WRONG');
    rejects(() => add(signBlock({ ...base, timestamp: s1 * 1000 + 1, slot: s1 }, [], k(s1))), 'BLOCK_TIMESTAMP_INVALID');
    rejects(() => add(b1, b1.header.timestamp - 60_000), 'BLOCK_FROM_FUTURE');
    const tx = t.transfer(t.accounts[0], t.accounts[1], 10, 0);
    const withTx = t.block(g, { txs: [tx] });
    rejects(() => add(mutate(withTx, (c) => (c.header.txRoot = txRoot([])))), 'BLOCK_HASH_MISMATCH');
    // A block whose (signed) header commits to txs it does not carry:
    rejects(() => add(mutate(withTx, (c) => (c.txs = []))), 'BLOCK_TXROOT_MISMATCH');
  });

  it('rejects blocks with bad transactions', () => {
    const { t, add, g } = setup();
    const [a, b] = t.accounts;
    const good = t.transfer(a, b, 10, 0);
    const forged = { ...good, signature: t.transfer(a, b, 11, 0).signature };
    rejects(() => add(t.block(g, { txs: [forged] })), 'TX_SIGNATURE_INVALID');
    rejects(() => add(t.block(g, { txs: [{ ...good, amount: 12 }] })), 'TX_HASH_MISMATCH');
    rejects(() => add(t.block(g, { txs: [t.transfer(a, b, 10, 1)] })), 'TX_NONCE_INVALID');
    rejects(() => add(t.block(g, { txs: [t.transfer(a, b, 5000, 0)] })), 'TX_INSUFFICIENT_BALANCE');
    rejects(() => add(t.block(g, { txs: [good, good] })), 'BLOCK_DUPLICATE_TX');
    // Signed by someone other than `from`:
    const stolen = signTx({ from: a.publicKey, to: b.publicKey, amount: 1, nonce: 0, timestamp: 1 }, b);
    assert.equal(stolen.from, b.publicKey); // signTx always signs as the key's owner
    const claimed = { ...stolen, from: a.publicKey };
    rejects(() => add(t.block(g, { txs: [claimed] })), 'TX_HASH_MISMATCH');
  });

  it('refuses a block at the checkpoint height that is not the checkpoint', () => {
    const t0 = testChain();
    const g = genesisBlock(t0.genesis);
    const main = t0.extend(g, 3);
    const { t, add } = setup({ checkpoint: { height: 2, hash: main[1].hash } });
    add(main[0]);
    const other = t.block(main[0], { slot: main[0].header.slot + 2 });
    rejects(() => add(other), 'BLOCK_CHECKPOINT_MISMATCH');
    assert.equal(add(main[1]).status, 'accepted');
  });
});

describe('state and reorgs', () => {
  it('applies transfers and rolls them back and forward on a reorg', () => {
    const { t, chain, heads, add, g } = setup();
    const [a, b, c] = t.accounts;
    // Chain A: a → b 100 at height 1, then one more block.
    const a1 = t.block(g, { txs: [t.transfer(a, b, 100, 0)] });
    const a2 = t.block(a1);
    add(a1);
    add(a2);
    assert.deepEqual(chain.account(a.publicKey), { balance: 900, nonce: 1 });
    assert.deepEqual(chain.account(b.publicKey), { balance: 1100, nonce: 0 });

    // Fork B from genesis, in later slots: a → c 300, then b → c 50; longer, so it wins.
    const b1 = t.block(g, { slot: a2.header.slot + 1, txs: [t.transfer(a, c, 300, 0)] });
    const b2 = t.block(b1, { txs: [t.transfer(b, c, 50, 0)] });
    const b3 = t.block(b2);
    assert.equal((add(b1) as { headChange: unknown }).headChange, null); // shorter: no switch
    assert.equal(chain.headRef().hash, a2.hash);
    add(b2); // equal height 2: lower hash wins
    const expectB = b2.hash < a2.hash;
    assert.equal(chain.headRef().hash, expectB ? b2.hash : a2.hash);
    add(b3);
    assert.equal(chain.headRef().hash, b3.hash);
    const last = heads[heads.length - 1];
    const reorgSeen = heads.find((h) => h.reorg !== null);
    assert.ok(reorgSeen, 'a reorg was reported');
    assert.equal(reorgSeen.reorg!.commonAncestor.hash, g.hash);
    assert.equal(reorgSeen.reorg!.depth, 2);
    assert.equal(last.head.hash, b3.hash);
    assert.deepEqual(chain.account(a.publicKey), { balance: 700, nonce: 1 });
    assert.deepEqual(chain.account(b.publicKey), { balance: 950, nonce: 1 });
    assert.deepEqual(chain.account(c.publicKey), { balance: 1350, nonce: 0 });
    assert.equal(chain.getByHeight(1)!.hash, b1.hash);
    assert.ok(chain.getByHash(a1.hash), 'the old branch stays in the tree');
    assert.equal(chain.isCanonical(a1.hash), false);

    // And back: chain A grows past B.
    const [a3, a4] = t.extend(a2, 2, { slotGap: 10 });
    add(a3);
    add(a4);
    assert.equal(chain.headRef().hash, a4.hash);
    assert.deepEqual(chain.account(a.publicKey), { balance: 900, nonce: 1 });
    assert.deepEqual(chain.account(b.publicKey), { balance: 1100, nonce: 0 });
    assert.deepEqual(chain.account(c.publicKey), { balance: 1000, nonce: 0 });
  });

  it('validates a side-branch block against the state of its own branch', () => {
    const { t, chain, add, g } = setup();
    const [a, b] = t.accounts;
    const c1 = t.block(g, { txs: [t.transfer(a, b, 900, 0)] }); // canonical: a has 100 left
    add(c1);
    add(t.block(c1)); // two blocks, so the one-block side branch cannot win
    // On a side branch a still has 1000, so spending 950 there is valid.
    const side = t.block(g, { slot: g.header.slot + 70, txs: [t.transfer(a, b, 950, 0)] });
    assert.equal(add(side).status, 'accepted');
    assert.deepEqual(chain.account(a.publicKey), { balance: 100, nonce: 1 }); // head unchanged
    // But a nonce-0 spend on top of the canonical block is not.
    rejects(() => add(t.block(chain.head(), { txs: [t.transfer(a, b, 50, 0)] })), 'TX_NONCE_INVALID');
  });
});

describe('finality', () => {
  /** PoA's rules with a finalized block the test sets, as a BFT engine would after a commit. */
  function finalizingChain() {
    const t = testChain();
    const poa = new RoundRobinPoa(t.genesis);
    let finalized: HeadRef | null = null;
    const rules: ChainRules = {
      checkBlock: (b, p, now, o) => poa.checkBlock(b, p, now, o),
      compareHeads: (a, b) => poa.compareHeads(a, b),
      finalized: () => finalized,
    };
    const chain = new Chain(t.genesis, rules);
    const finalize = (b: Block) => (finalized = { height: b.header.height, hash: b.hash });
    return { t, chain, finalize, add: (b: Block) => chain.importBlock(b, { nowMs: FAR_FUTURE }) };
  }

  it('refuses a longer fork whose common ancestor is below the finalized height', () => {
    const { t, chain, finalize, add } = finalizingChain();
    const main = t.extend(chain.genesis, 5);
    for (const b of main) add(b);
    finalize(main[2]); // height 3
    // Forks at height 2 (below finalized 3): longer, so fork choice alone would take it.
    const fork = t.extend(main[1], 6, { slotGap: 7 });
    rejects(() => add(fork[0]), 'REORG_BELOW_FINALIZED');
    assert.equal(chain.headRef().hash, main[4].hash);
    assert.equal(chain.has(fork[0].hash), false, 'not stored either');
  });

  it('allows a reorg that keeps the finalized block', () => {
    const { t, chain, finalize, add } = finalizingChain();
    const main = t.extend(chain.genesis, 5);
    for (const b of main) add(b);
    finalize(main[2]);
    const fork = t.extend(main[2], 4, { slotGap: 7 }); // forks at height 3 = finalized
    for (const b of fork) assert.equal(add(b).status, 'accepted');
    assert.equal(chain.headRef().hash, fork[3].hash);
    assert.equal(chain.getByHeight(3)!.hash, main[2].hash);
  });

  it('a side branch accepted before finality moved cannot grow past it afterwards', () => {
    const { t, chain, finalize, add } = finalizingChain();
    const main = t.extend(chain.genesis, 5);
    for (const b of main) add(b);
    const side = t.block(main[0], { slot: main[4].header.slot + 1 }); // forks at height 1
    assert.equal(add(side).status, 'accepted');
    finalize(main[3]);
    rejects(() => add(t.block(side)), 'REORG_BELOW_FINALIZED');
  });
});
