// Test kit for integration tests on a real BFT testnet (node processes on loopback, started by
// LocalTestnet): start one in a temp dir, talk to its nodes, turn a validator byzantine, cut
// links, and check the one property BFT promises (every node holds the same block at every
// height). Tests only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Misbehaviour } from '../../../../wire/bft.ts';
import type { Block } from '../../../../wire/node-api.ts';
import { freePorts } from '../../../../lib/free-port.ts';
import { loadGenesisFile } from '../../../chain/genesis.ts';
import { createLogger } from '../../../logger.ts';
import { NodeClient } from '../../../testkit/node-client.ts';
import { waitFor } from '../../../testkit/wait-for.ts';
import { LocalTestnet } from '../../../testnet/local-testnet.ts';
import { ValidatorSet } from '../validator-set.ts';

export interface BftTestnet {
  testnet: LocalTestnet;
  dataDir: string;
  /** One client per node, in node order (validator i is node i). */
  nodes: NodeClient[];
  /** Node ids (for link rules) and validator public keys, in node order. */
  ids: string[];
  keys: string[];
  validators: ValidatorSet;
  chainId: string;
  genesisHash: string;
  stop(): Promise<void>;
}

/** Starts a 4-validator BFT testnet with 250 ms blocks and waits until every node is connected to the 3 others and past height 2. */
export async function startBftTestnet(label: string, nodes = 4): Promise<BftTestnet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const testnet = new LocalTestnet(
    { nodes, basePort: await freePorts(nodes + 1), blockTimeMs: 250, dataDir, txRate: 1, pingIntervalMs: 1000, logLevel: 'info', consensus: 'bft' },
    { logger: createLogger({ level: 'warn', name: label }) },
  );
  await testnet.start();
  const clients = testnet.nodes().map((n) => new NodeClient(n.url, n.adminToken));
  const healths = await waitFor(
    async () => {
      const hs = await Promise.all(clients.map((c) => c.health()));
      return hs.every((h) => h.peers.connected === nodes - 1 && h.blockchain.height >= 2) ? hs : null;
    },
    { timeoutMs: 40_000, what: `${nodes} connected BFT nodes past height 2` },
  );
  const genesis = loadGenesisFile(path.join(dataDir, 'genesis.json'));
  return {
    testnet,
    dataDir,
    nodes: clients,
    ids: healths.map((h) => h.node.id),
    keys: healths.map((h) => h.node.publicKey),
    validators: new ValidatorSet(genesis.validators),
    chainId: genesis.chainId,
    genesisHash: healths[0].genesisHash,
    stop: async () => {
      await testnet.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** PUT /admin/byzantine on one node; fails the test unless it is accepted. */
export async function setByzantine(node: NodeClient, byzantine: Misbehaviour | null): Promise<void> {
  const r = await node.api.request('adminByzantine', { body: { byzantine } });
  assert.equal(r.status, 200, `PUT /admin/byzantine: ${JSON.stringify(r.body)}`);
  assert.deepEqual((r.body as { byzantine: unknown }).byzantine, byzantine);
}

export async function heights(nodes: NodeClient[]): Promise<number[]> {
  return Promise.all(nodes.map(async (c) => (await c.health()).blockchain.height));
}

/** Waits until every node in `nodes` is at `height` or above. */
export async function waitForHeight(nodes: NodeClient[], height: number, what: string, timeoutMs = 40_000): Promise<void> {
  await waitFor(async () => Math.min(...(await heights(nodes))) >= height, { timeoutMs, what });
}

/** Blocks from..to (inclusive) of one node's chain. */
export async function blockRange(node: NodeClient, from: number, to: number): Promise<Block[]> {
  const out: Block[] = [];
  for (let h = from; h <= to; h += 500) out.push(...(await node.blocks(h, Math.min(500, to - h + 1))).blocks);
  return out;
}

/** Safety: every node holds the same block at each height 1..(the lowest head); returns that height. */
export async function assertOneChain(nodes: NodeClient[]): Promise<number> {
  const top = Math.min(...(await heights(nodes)));
  const chains = await Promise.all(nodes.map((c) => blockRange(c, 1, top)));
  for (let h = 1; h <= top; h++) {
    const hashes = chains.map((blocks) => blocks[h - 1]?.hash);
    assert.equal(new Set(hashes).size, 1, `one block at height ${h}: ${hashes.join(' ')}`);
  }
  return top;
}

/** Drops every message both ways between nodes a and b (each side's own link rules). */
export async function cutLink(net: BftTestnet, a: number, b: number): Promise<void> {
  await net.nodes[a].setRules([{ peer: net.ids[b], direction: 'both', drop: true }]);
  await net.nodes[b].setRules([{ peer: net.ids[a], direction: 'both', drop: true }]);
}
