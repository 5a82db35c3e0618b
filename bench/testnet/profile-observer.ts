// Development aid (not part of the suite): starts an N-node benchmark testnet plus one extra
// non-validator node run under `node --cpu-prof`, linked to every validator, for `seconds`;
// the .cpuprofile lands in the given dir (open it in Chrome DevTools or summarise it).
//   node --import tsx bench/testnet/profile-observer.ts 16 60 /tmp/prof [blockMs]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../lib/free-port.ts';
import { startBenchTestnet, waitForPeers } from './bench-testnet.ts';

const [nodes = 16, seconds = 60] = process.argv.slice(2, 4).map(Number);
const outDir = path.resolve(process.argv[4] ?? '/tmp/prof');
const blockTimeMs = Number(process.argv[5] ?? 1000);
const net = await startBenchTestnet({ label: `profile-${nodes}`, nodes, blockTimeMs, txRate: 1, seed: 'bench-profile' });
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
