// Test fixture: a launcher process that starts a LocalTestnet, prints the node pids as one
// JSON line, and waits. Tests kill it to check that its nodes do not outlive it.
import { LocalTestnet } from '../testnet/local-testnet.ts';
import { createLogger } from '../logger.ts';

const [dataDir, basePort, nodes] = process.argv.slice(2);
const testnet = new LocalTestnet(
  { nodes: Number(nodes ?? 1), basePort: Number(basePort), blockTimeMs: 500, dataDir, txRate: 0 },
  { logger: createLogger({ level: 'warn', name: 'fixture' }) },
);
await testnet.start();
process.stdout.write(JSON.stringify({ pids: testnet.nodes().map((n) => n.pid) }) + '\n');
setInterval(() => {}, 60_000);
