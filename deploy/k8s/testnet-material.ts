// The secrets and shared files of one rendered testnet: genesis (from the same code as the local
// testnet, node/testnet/testnet-genesis.ts), each validator's key file, each node's load
// generator accounts, and fresh random tokens. Rendering twice gives another network unless a
// seed is given; tokens are random every time.
import crypto from 'node:crypto';
import type { Genesis } from '../../node/chain/genesis.ts';
import { keyFileContent } from '../../node/chain/keys.ts';
import { accountsFileContent } from '../../node/load/accounts-file.ts';
import { createTestnetGenesis, loadAccountsFor, validatorKey } from '../../node/testnet/testnet-genesis.ts';
import { accountsFileName, keyFileName, podName, type Names } from './names.ts';
import { podLimit, type RenderOptions } from './render-options.ts';

export interface TestnetMaterial {
  genesis: Genesis;
  /** File name → content, for the keys Secret (one key and one accounts file per pod, up to --max-nodes). */
  nodeFiles: Record<string, string>;
  /** Bearer token of every node's /admin API; the server holds it too. */
  nodeAdminToken: string;
  /** The control plane's token for chaos actions. */
  controlToken: string;
}

const randomToken = () => crypto.randomBytes(24).toString('base64url');

export function createTestnetMaterial(o: RenderOptions, names: Names, now = Date.now()): TestnetMaterial {
  const seed = o.seed ?? crypto.randomBytes(32).toString('hex');
  const { genesis, validatorKeys, accountKeys } = createTestnetGenesis({
    validators: o.nodes,
    blockTimeMs: o.blockTimeMs,
    seed,
    chainId: `${o.name}-${o.namespace}`,
    genesisTime: now,
    consensus: o.consensus,
  });
  const recipients = accountKeys.map((a) => a.publicKey);
  const nodeFiles: Record<string, string> = {};
  // Pods past --nodes (add-node, up to --max-nodes) get keys genesis does not name: followers.
  const spareKeys = Array.from({ length: podLimit(o) - o.nodes }, (_, j) => validatorKey(seed, o.nodes + j));
  [...validatorKeys, ...spareKeys].forEach((key, i) => {
    const pod = podName(names, i);
    nodeFiles[keyFileName(pod)] = keyFileContent(key);
    nodeFiles[accountsFileName(pod)] = accountsFileContent(loadAccountsFor(i, accountKeys), recipients);
  });
  return { genesis, nodeFiles, nodeAdminToken: randomToken(), controlToken: randomToken() };
}
