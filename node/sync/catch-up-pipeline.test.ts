// Unit: catch-up asks for the next batch while it imports one (the locator starts at the
// batch's last block), imports batches strictly in order even when the next arrives early,
// and after a bad block drops the batch it prefetched instead of importing on top of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block, HeadRef } from '../../wire/node-api.ts';
import { Chain } from '../chain/chain.ts';
import { Clock } from '../chain/clock.ts';
import { genesisBlock } from '../chain/genesis.ts';
import { RoundRobinPoa } from '../consensus/poa/round-robin-poa.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import { testChain } from '../testkit/chain-builder.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { BlockImporter } from './block-importer.ts';
import { CatchUp } from './catch-up.ts';

interface Sent {
  type: string;
  payload: { reqId: number; locator: string[]; limit: number };
}

function setup(blocks: Block[]) {
  const t = testChain({ seed: 'pipeline', genesisTime: 1_700_000_000_000 });
  const chain = new Chain(t.genesis, new RoundRobinPoa(t.genesis));
  const metrics = createMetrics();
  const logger = createLogger({ level: 'silent' });
  const importer = new BlockImporter(chain, new Clock(), metrics, logger);
  const head: HeadRef = { height: blocks.length, hash: blocks[blocks.length - 1].hash };
  const peer = { head, remote: { id: 'peer-a' }, state: 'connected', rttMs: 1 } as unknown as PeerConnection;
  const sent: Sent[] = [];
  const penalties: string[] = [];
  const host = {
    connected: () => [peer],
    send: (_p: PeerConnection, def: { type: string }, payload: Sent['payload']) => sent.push({ type: def.type, payload }),
    penalize: (_p: PeerConnection, err: Error) => penalties.push(err.message),
  } as unknown as P2PHost;
  const catchUp = new CatchUp(
    { batchSize: 10, requestTimeoutMs: 30_000, checkIntervalMs: 600_000, maxResponseBytes: 1 << 20 },
    { chain, host, importer, metrics, logger, isPaused: () => false },
  );
  catchUp.start();
  const reply = (reqId: number, from: number, to: number) => catchUp.onBlocks(peer, { reqId, blocks: blocks.slice(from - 1, to), head });
  return { chain, importer, catchUp, peer, sent, penalties, reply };
}

function buildBlocks(n: number): { blocks: Block[]; t: ReturnType<typeof testChain> } {
  const t = testChain({ seed: 'pipeline', genesisTime: 1_700_000_000_000 });
  const blocks: Block[] = [];
  let parent = genesisBlock(t.genesis);
  for (let i = 0; i < n; i++) {
    parent = t.block(parent, { txs: [t.transfer(t.accounts[0], t.accounts[1], 1, i)] });
    blocks.push(parent);
  }
  return { blocks, t };
}

describe('catch-up pipeline', () => {
  it('prefetches the next batch during an import and imports early batches in order', async () => {
    const { blocks } = buildBlocks(30);
    const s = setup(blocks);
    try {
      s.catchUp.poke(s.peer);
      assert.equal(s.sent.length, 1);
      assert.equal(s.sent[0].payload.locator[0], genesisBlock(s.chain.config).hash);
      s.reply(s.sent[0].payload.reqId, 1, 10);
      // Asked for the next batch at once, after the batch that is still being imported.
      assert.equal(s.sent.length, 2);
      assert.equal(s.sent[1].payload.locator[0], blocks[9].hash);
      assert.equal(s.chain.headRef().height, 0, 'the import waits for the worker-thread signature checks');
      // The next batch arrives before the first one is imported: it waits its turn.
      s.reply(s.sent[1].payload.reqId, 11, 20);
      await waitFor(() => s.sent.length === 3, { timeoutMs: 10_000, what: 'third request' });
      assert.equal(s.sent[2].payload.locator[0], blocks[19].hash);
      s.reply(s.sent[2].payload.reqId, 21, 30);
      await waitFor(() => s.chain.headRef().height === 30 && s.catchUp.state === 'idle', { timeoutMs: 10_000, what: 'head 30' });
      assert.equal(s.chain.headRef().hash, blocks[29].hash);
      assert.equal(s.importer.pendingOrphans, 0);
      assert.deepEqual(s.penalties, []);
      assert.equal(s.sent.length, 3, 'no request beyond the peer head');
    } finally {
      s.catchUp.stop();
    }
  });

  it('after a bad block, penalises the peer and drops the batch it prefetched', async () => {
    const { blocks } = buildBlocks(30);
    const forged = [...blocks];
    forged[14] = { ...blocks[14], signature: blocks[14].signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    const s = setup(forged);
    try {
      s.catchUp.poke(s.peer);
      s.reply(s.sent[0].payload.reqId, 1, 10);
      await waitFor(() => s.chain.headRef().height === 10, { timeoutMs: 10_000, what: 'head 10' });
      s.reply(s.sent[1].payload.reqId, 11, 20); // holds the forged block 15
      const prefetch = s.sent[2];
      assert.equal(prefetch.payload.locator[0], blocks[19].hash);
      await waitFor(() => s.penalties.length === 1, { timeoutMs: 10_000, what: 'a penalty' });
      assert.match(s.penalties[0], /BLOCK_SIGNATURE_INVALID/);
      assert.equal(s.chain.headRef().height, 14);
      // The answer to the prefetch builds on the refused block: ignored, nothing parked.
      s.reply(prefetch.payload.reqId, 21, 30);
      await new Promise((r) => setImmediate(r));
      assert.equal(s.chain.headRef().height, 14);
      assert.equal(s.importer.pendingOrphans, 0);
    } finally {
      s.catchUp.stop();
    }
  });
  it('a lost answer to a request for a few blocks is asked again after 2 s, not after the batch timeout', async () => {
    const { blocks } = buildBlocks(3);
    const s = setup(blocks);
    try {
      s.catchUp.poke(s.peer);
      assert.equal(s.sent.length, 1);
      const askedAt = Date.now();
      // No answer (lost on a lossy link): after 2 s the request is given up and the peer cools
      // down for as long; the node's next poke (status, orphan, check tick) asks again.
      await waitFor(
        () => {
          s.catchUp.poke(s.peer);
          return s.sent.length >= 2;
        },
        { timeoutMs: 10_000, intervalMs: 50, what: 'the request asked again' },
      );
      const waited = Date.now() - askedAt;
      assert.ok(waited >= 1_900 && waited < 8_000, `asked again after ${waited} ms (batch timeout 30 s)`);
      s.reply(s.sent[s.sent.length - 1].payload.reqId, 1, 3);
      await waitFor(() => s.chain.headRef().height === 3, { timeoutMs: 10_000, what: 'head 3' });
    } finally {
      s.catchUp.stop();
    }
  });
});
