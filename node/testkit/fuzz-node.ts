// For the fuzz tests: one in-process BFT validator (so every message type a node registers is
// there, the engine's votes and proposals included) whose key the test holds, and one valid
// payload of each P2P message type, made from its real chain, for the generators to mutate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGenesis } from '../chain/genesis.ts';
import { deterministicKeyPair, nodeIdOf, writeKeyFile, type KeyPair } from '../chain/keys.ts';
import { signTx } from '../chain/block.ts';
import { signProposal, signVote } from '../consensus/bft/signing.ts';
import type { Node } from '../node.ts';
import type { ReadonlyMessageRegistry } from '../p2p/message-registry.ts';
import { startInProcessNode } from './in-process-node.ts';
import { NodeClient } from './node-client.ts';
import { waitFor } from './wait-for.ts';

export const FUZZ_ADMIN_TOKEN = 'fuzz-admin-token';

export interface FuzzNode {
  node: Node;
  key: KeyPair;
  client: NodeClient;
  stop(): Promise<void>;
}

/** A single-validator BFT node on loopback, committing blocks, with at least two of them made. */
export async function startFuzzNode(label: string, overrides: Record<string, unknown> = {}): Promise<FuzzNode> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const key = deterministicKeyPair(`${label}-validator`);
  writeKeyFile(path.join(root, 'key.json'), key);
  const genesis = parseGenesis({
    chainId: `fuzz-${label}`.slice(0, 64),
    genesisTime: Date.now() - 1000,
    blockTimeMs: 200,
    validators: [key.publicKey],
    allocations: [{ address: key.publicKey, balance: 1_000_000_000 }],
    consensus: { engine: 'bft' },
  });
  const genesisFile = path.join(root, 'genesis.json');
  fs.writeFileSync(genesisFile, JSON.stringify(genesis));
  const { node } = await startInProcessNode(root, { genesisFile, adminToken: FUZZ_ADMIN_TOKEN, logLevel: 'warn', ...overrides });
  const client = new NodeClient(node.url, FUZZ_ADMIN_TOKEN);
  await waitFor(() => node.chain.headRef().height >= 2, { timeoutMs: 30_000, what: 'the fuzz node committed two blocks' });
  return {
    node,
    key,
    client,
    stop: async () => {
      await node.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The registry the node's P2P host built (its reactors' message types and handlers). */
export function registryOf(node: Node): ReadonlyMessageRegistry {
  return node.messageRegistry;
}

/** One valid payload of every message type the node registered, keyed by type. */
export function validPayloads(f: FuzzNode, sender: KeyPair): Record<string, unknown> {
  const { node, key } = f;
  const chain = node.chain;
  const head = chain.headRef();
  const b1 = chain.getByHeight(1)!;
  const b2 = chain.getByHeight(2)!;
  const tx = signTx({ from: key.publicKey, to: sender.publicKey, amount: 5, nonce: 0, timestamp: Date.now() }, key);
  const { commit: _commit, ...bare } = b2;
  const height = head.height + 1;
  const payloads: Record<string, unknown> = {
    hello: {
      chainId: chain.chainId,
      genesisHash: chain.genesisHash,
      nodeId: nodeIdOf(sender.publicKey),
      name: 'fuzzer',
      head: { height: 0, hash: chain.genesisHash },
      validator: false,
      listenUrl: null,
    },
    reject: { code: 'GENESIS_MISMATCH', reason: 'fuzz' },
    status: { head },
    block: { block: b2, sentTo: [nodeIdOf(key.publicKey)] },
    tx: { tx },
    txs: { txs: [tx], origin: true },
    get_blocks: { reqId: 1, locator: [b1.hash, chain.genesisHash], limit: 10 },
    blocks: { reqId: 1, blocks: [b1, b2], head },
    bft_proposal: { proposal: signProposal(chain.chainId, { height: b2.header.height, round: 0, blockHash: b2.hash, validRound: -1, proposer: key.publicKey }, key), block: bare },
    bft_vote: { vote: signVote(chain.chainId, { type: 'prevote', height, round: 0, blockHash: null, validator: key.publicKey }, key) },
  };
  const registered = registryOf(node).types();
  const missing = registered.filter((t) => !(t in payloads));
  if (missing.length > 0) throw new Error(`no valid fuzz seed for message type(s) ${missing.join(', ')}: add one to validPayloads`);
  return payloads;
}
