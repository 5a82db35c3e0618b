// `npm run testnet -- --nodes N --base-port P --block-time MS --data-dir D --consensus poa|bft`: runs a local
// testnet in the foreground, prints each node's URL and admin token file, stops all on Ctrl-C.
import path from 'node:path';
import { Command, Option } from 'commander';
import { createLogger, errFields } from '../logger.ts';
import { LocalTestnet } from '../testnet/local-testnet.ts';
import { TESTNET_CONSENSUS, type TestnetConsensus } from '../testnet/testnet-genesis.ts';

const int = (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`not a non-negative integer: ${v}`);
  return Number(v);
};

async function main(): Promise<void> {
  const o = new Command('testnet')
    .description('Run a local testnet of node processes')
    .option('--nodes <n>', 'number of validator nodes', int, 4)
    .option('--base-port <port>', 'first node port; node i listens on base+i-1', int, 7001)
    .option('--block-time <ms>', 'block time (new testnets only)', int, 1000)
    .addOption(new Option('--consensus <engine>', 'consensus engine (new testnets only)').choices(TESTNET_CONSENSUS).default('poa'))
    .option('--data-dir <dir>', 'where genesis, keys and node data live (reused if present)', './data/testnet')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--tx-rate <n>', 'load generator tx/s per node (0 = off)', Number, 1)
    .option('--ping-interval <ms>', 'P2P keep-alive interval', int, 5000)
    .option('--log-level <level>', 'node log level', 'info')
    .option('--no-log-files', 'let node logs go to this terminal instead of node-i/node.log')
    .parse(process.argv)
    .opts();
  const logger = createLogger({ name: 'testnet', level: 'info' });
  const testnet = new LocalTestnet(
    {
      nodes: o.nodes,
      basePort: o.basePort,
      blockTimeMs: o.blockTime,
      consensus: o.consensus as TestnetConsensus,
      dataDir: path.resolve(o.dataDir),
      host: o.host,
      txRate: o.txRate,
      pingIntervalMs: o.pingInterval,
      logLevel: o.logLevel,
      logToFiles: o.logFiles,
    },
    { logger },
  );
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${why}: stopping all nodes…\n`);
    testnet
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error(errFields(err), 'stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    logger.fatal(errFields(reason), 'unhandled rejection');
    process.exit(1);
  });

  await testnet.start();
  const lines = testnet.nodes().map((n) => `  ${n.name}  ${n.url}  pid ${n.pid}  admin token: ${path.join(n.dataDir, 'admin-token')}  log: ${path.join(n.dataDir, 'node.log')}`);
  process.stdout.write(
    `\nLocal testnet running (${testnet.nodes().length} nodes, data in ${testnet.dataDir}):\n${lines.join('\n')}\n\nTry: curl -s ${testnet.nodes()[0]?.url}/health | jq .blockchain\nCtrl-C stops all nodes.\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`testnet failed: ${(err as Error).message}\n`);
  process.exit(1);
});
