// Worker thread for chain generation: signs the transactions of a range of heights (the
// expensive part: one Ed25519 signature each). Blocks are linked and signed in order by the
// main thread, since each block's hash depends on its parent's.
import { parentPort } from 'node:worker_threads';
import type { Tx } from '../../wire/node-api.ts';
import { benchNetwork, blockTxs, type BenchNetwork, type ChainSpec } from './chain-spec.ts';

export interface GenRequest {
  id: number;
  spec: ChainSpec;
  fromHeight: number;
  count: number;
}

export interface GenResponse {
  id: number;
  txs: Tx[][];
}

let net: BenchNetwork | null = null;

parentPort!.on('message', (req: GenRequest) => {
  net ??= benchNetwork(req.spec.seed);
  const txs: Tx[][] = [];
  for (let h = req.fromHeight; h < req.fromHeight + req.count; h++) txs.push(blockTxs(net, req.spec, h));
  parentPort!.postMessage({ id: req.id, txs } satisfies GenResponse);
});
