// Integration: a real 4-process BFT testnet on loopback (`npm run testnet -- --consensus bft`)
// commits 100+ heights, every node holds the same blocks, and each block carries a commit of
// > 2/3 of the validators that verifies; a validator killed with SIGKILL restarts from its
// block log and signing WAL and signs again, also when killed in its prevote or precommit step,
// and nobody ever sees it sign two different votes; a late non-validator syncs the committed chain.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadGenesisFile } from '../../chain/genesis.ts';
import { NodeClient } from '../../testkit/node-client.ts';
import { waitFor } from '../../testkit/wait-for.ts';
import type { LocalTestnet } from '../../testnet/local-testnet.ts';
import { type BftTestnet, heights, startBftTestnet } from './testkit/bft-testnet-kit.ts';
import { verifyCommit } from './commit.ts';
import { ValidatorSet } from './validator-set.ts';

let net: BftTestnet;
let testnet: LocalTestnet;
let dataDir: string;
const clients = () =>
  testnet
    .nodes()
    .filter((n) => n.running)
    .map((n) => new NodeClient(n.url, n.adminToken));

/** Waits until a commit above the current heights carries validator `index`'s precommit; returns the first height looked at. */
async function signsAgain(index: number, who: string): Promise<number> {
  const from = Math.max(...(await heights(clients()))) + 1;
  const key = loadGenesisFile(path.join(dataDir, 'genesis.json')).validators[index];
  await waitFor(
    async () => {
      const page = await clients()[0].blocks(from, 50);
      return page.blocks.some((b) => b.commit?.signatures.some((s) => s.validator === key));
    },
    { timeoutMs: 30_000, what: `a commit signed by ${who}` },
  );
  return from;
}

describe('BFT local testnet (4 processes)', { timeout: 240_000 }, () => {
  before(async () => {
    net = await startBftTestnet('bft-testnet-it');
    ({ testnet, dataDir } = net);
  });

  after(async () => {
    await net?.stop();
  });

  it('commits 100+ heights: the same blocks on every node, each with a commit that verifies', async () => {
    const nodes = clients();
    await waitFor(async () => Math.min(...(await heights(nodes))) >= 101, { timeoutMs: 90_000, what: '4 BFT nodes at height 101' });
    const genesis = loadGenesisFile(path.join(dataDir, 'genesis.json'));
    assert.equal(genesis.consensus.engine, 'bft');
    const validators = new ValidatorSet(genesis.validators);
    const pages = await Promise.all(nodes.map((c) => c.blocks(1, 100)));
    const hashes = pages.map((p) => p.blocks.map((b) => b.hash));
    for (const h of hashes) assert.deepEqual(h, hashes[0]);
    assert.equal(hashes[0].length, 100);
    for (const b of pages[0].blocks) {
      assert.ok(b.commit, `block ${b.header.height} has a commit`);
      assert.deepEqual(verifyCommit(genesis.chainId, b.commit, validators, { height: b.header.height, blockHash: b.hash }), { ok: true });
    }
    assert.ok(
      pages[0].blocks.some((b) => b.txs.length > 0),
      'blocks carry load-generator txs',
    );
    for (const c of nodes) assert.equal(await c.metric('node_signature_failures_total'), 0);
    // What /health and GET /consensus say of it: the head is final, the next height is being decided.
    const health = await nodes[0].health();
    assert.equal(health.consensus?.engine, 'bft');
    assert.equal(health.blockchain.finalized_height, health.blockchain.height);
    assert.ok(health.consensus!.height > health.blockchain.height);
    const state = await nodes[0].api.consensus();
    assert.equal(state.status.engine, 'bft');
    assert.deepEqual(state.roundState?.validators, genesis.validators);
  });

  it('a validator killed with SIGKILL restarts from disk (block log, signing WAL) and signs again', async () => {
    const victim = testnet.nodes()[3];
    await testnet.kill(victim.index);
    const others = clients();
    const target = Math.max(...(await heights(others))) + 5;
    await waitFor(async () => Math.min(...(await heights(others))) >= target, { timeoutMs: 30_000, what: '3 of 4 validators go on' });
    assert.ok(fs.existsSync(path.join(victim.dataDir, 'consensus', 'sign-wal.log')), 'the signing WAL is in the engine data dir');
    await testnet.restart(victim.index);
    const from = await signsAgain(3, 'the restarted validator');
    const all = clients();
    await waitFor(async () => Math.min(...(await heights(all))) >= from + 3, { timeoutMs: 30_000, what: 'all 4 at the same height again' });
  });

  it('a validator killed with SIGKILL in its prevote step and in its precommit step restarts from its WAL and never double-signs', async () => {
    const victim = testnet.nodes()[2];
    const vc = new NodeClient(victim.url, victim.adminToken);
    // Slow every link of the victim: its steps then last long enough for /health to catch it in each.
    const slow = () => vc.setRules([{ peer: '*', direction: 'both', delayMs: 400 }]);
    for (const step of ['prevote', 'precommit'] as const) {
      await slow();
      await waitFor(async () => (await vc.health()).consensus?.step === step, { timeoutMs: 30_000, intervalMs: 5, what: `${victim.name} in its ${step} step` });
      await testnet.kill(victim.index);
      await testnet.restart(victim.index); // link rules live in memory: it comes back without them
    }
    await signsAgain(2, 'the twice-restarted validator');
    // Nobody saw two different signed votes of one validator for one (height, round, type).
    for (const c of clients()) {
      assert.equal(await c.metric('consensus_duplicate_votes_total'), 0);
      assert.deepEqual((await c.api.consensus()).evidence ?? [], []);
    }
  });

  it('a late non-validator syncs the committed chain (blocks with their commits) and follows it', async () => {
    const info = await testnet.addNode();
    const joiner = new NodeClient(info.url);
    assert.equal((await joiner.health()).node.validator, false);
    const height = Math.max(...(await heights(clients()))) + 2;
    await waitFor(async () => (await joiner.health()).blockchain.height >= height, { timeoutMs: 30_000, what: "joiner at the validators' height" });
    const [mine, theirs] = await Promise.all([joiner.blocks(1, 30), clients()[0].blocks(1, 30)]);
    assert.deepEqual(
      mine.blocks.map((b) => b.hash),
      theirs.blocks.map((b) => b.hash),
    );
    assert.ok(mine.blocks.every((b) => b.commit !== undefined));
  });
});
