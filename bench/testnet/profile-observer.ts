// Development aid (not part of the suite): starts an N-node benchmark testnet plus one extra
// non-validator node run under `node --cpu-prof`, linked to every validator, for `seconds`;
// the .cpuprofile lands in the given dir (open it in Chrome DevTools or summarise it).
//   node --import tsx bench/testnet/profile-observer.ts --nodes 16 --seconds 60 --out /tmp/prof [--block-time 1000] [--consensus bft]
import { spawn } from 'node:child_process';
import { Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import { freePort } from '../../lib/free-port.ts';
import { TESTNET_CONSENSUS, type TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';
import { startBenchTestnet, waitForPeers } from './bench-testnet.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const opts = new Command('profile-observer')
  .description('Profile one extra non-validator node linked to every node of a benchmark testnet.')
  .option('--nodes <n>', 'validators in the testnet', positiveInt, 16)
  .option('--seconds <s>', 'how long the observer runs under --cpu-prof', positiveInt, 60)
  .option('--out <dir>', 'where the .cpuprofile is written', '/tmp/prof')
  .option('--block-time <ms>', 'block time of the testnet', positiveInt, 1000)
  .option(
    '--consensus <engine>',
    `consensus engine: ${TESTNET_CONSENSUS.join(' | ')}`,
    (v: string) => {
      if (!(TESTNET_CONSENSUS as readonly string[]).includes(v)) throw new InvalidArgumentError(`one of ${TESTNET_CONSENSUS.join(', ')}`);
      return v as TestnetConsensus;
    },
    'poa' as TestnetConsensus,
  )
  .parse()
  .opts<{ nodes: number; seconds: number; out: string; blockTime: number; consensus: TestnetConsensus }>();
const { nodes, seconds } = opts;
const outDir = path.resolve(opts.out);
const blockTimeMs = opts.blockTime;
const net = await startBenchTestnet({ label: `profile-${nodes}`, nodes, blockTimeMs, txRate: 1, seed: 'bench-profile', consensus: opts.consensus });
try {
  await waitForPeers(net.clients, nodes - 1, 60_000);
  const port = await freePort();
  const dir = path.join(net.dataDir, 'observer');
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      outDir,
      '--import',
      'tsx',
      'node/cli/node.ts',
      '--data-dir',
      dir,
      '--port',
      String(port),
      '--genesis',
      path.join(net.dataDir, 'genesis.json'),
      '--tx-rate',
      '0',
      '--log-level',
      'warn',
      '--peers',
      net.nodes.map((n) => `ws://127.0.0.1:${n.port}/p2p`).join(','),
    ],
    { stdio: 'inherit' },
  );
  await new Promise((r) => setTimeout(r, seconds * 1000));
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  process.stdout.write(`profile written to ${outDir}\n`);
} finally {
  await net.stop();
}
