// `npm run soak -- --nodes 4 --minutes 10`: the user's success criteria as an automatic run.
// Launches a local testnet in a temp dir (or attaches to --urls), samples every node every
// --interval seconds (height, head, agreement at a common height), and at the end checks:
// 100+ blocks under consensus, one chain, no disconnect without an injected fault, no
// signature failure, no "connection refused". Prints each check and a final PASS/FAIL line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { createLogger, errFields } from '../logger.ts';
import { LocalTestnet } from '../testnet/local-testnet.ts';
import { TESTNET_CONSENSUS, type TestnetConsensus } from '../testnet/testnet-genesis.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient } from '../testkit/node-client.ts';

interface Counters {
  disconnects: number;
  chaosDropped: number;
  signatureFailures: number;
  refused: number;
}

const int = (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`not a non-negative integer: ${v}`);
  return Number(v);
};
const engine = (v: string): TestnetConsensus => {
  if (!(TESTNET_CONSENSUS as readonly string[]).includes(v)) throw new Error(`not a consensus engine (${TESTNET_CONSENSUS.join('|')}): ${v}`);
  return v as TestnetConsensus;
};
const short = (h: string | undefined) => (h ? h.slice(0, 12) : '-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function counters(c: NodeClient): Promise<Counters> {
  return {
    // Our own shutdown and the routine closing of a double-dialed link are not faults.
    disconnects:
      (await c.metric('node_p2p_disconnects_total')) -
      (await c.metric('node_p2p_disconnects_total', 'reason="shutdown"')) -
      (await c.metric('node_p2p_disconnects_total', 'reason="duplicate"')),
    chaosDropped: await c.metric('node_chaos_dropped_total'),
    signatureFailures: await c.metric('node_signature_failures_total'),
    refused: await c.metric('node_p2p_dial_errors_total', 'code="ECONNREFUSED"'),
  };
}

async function sample(clients: NodeClient[]) {
  const healths = await Promise.all(clients.map((c) => c.health().catch(() => null)));
  const heights = healths.map((h) => h?.blockchain.height ?? -1);
  const common = Math.max(0, Math.min(...heights.filter((h) => h >= 0)) - 1);
  const hashes = await Promise.all(
    clients.map((c) =>
      c
        .block(common)
        .then((b) => b?.hash)
        .catch(() => undefined),
    ),
  );
  const agree = healths.every((h) => h !== null) && hashes.every((h) => h !== undefined && h === hashes[0]);
  return { healths, heights, common, hashes, agree };
}

async function main(): Promise<number> {
  const o = new Command('soak')
    .description('Run (or attach to) a testnet for a while and check consensus and link stability')
    .option('--nodes <n>', 'nodes to launch', int, 4)
    .option('--minutes <m>', 'how long to run', Number, 10)
    .option('--interval <s>', 'seconds between samples', Number, 30)
    .option('--block-time <ms>', 'block time of the launched testnet', int, 1000)
    .option('--tx-rate <n>', 'load per node, tx/s', Number, 1)
    .option('--base-port <port>', 'first port (default: free ports)', int)
    .option('--data-dir <dir>', 'testnet dir (default: a temp dir, removed afterwards)')
    .option('--urls <urls>', 'attach to these node URLs instead of launching')
    .option('--consensus <engine>', `consensus engine of the launched testnet (${TESTNET_CONSENSUS.join('|')})`, engine, 'poa' as TestnetConsensus)
    .option('--min-blocks <n>', 'blocks that must be added under consensus', int, 100)
    .parse(process.argv)
    .opts();

  const logger = createLogger({ name: 'soak', level: 'warn' });
  let testnet: LocalTestnet | null = null;
  let tmpDir: string | null = null;
  let urls: string[];
  if (o.urls) {
    urls = String(o.urls)
      .split(',')
      .map((u) => u.trim().replace(/\/+$/, ''))
      .filter(Boolean);
  } else {
    tmpDir = o.dataDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
    const dataDir = o.dataDir ?? tmpDir!;
    testnet = new LocalTestnet(
      { nodes: o.nodes, basePort: o.basePort ?? (await freePorts(o.nodes)), blockTimeMs: o.blockTime, dataDir, txRate: o.txRate, consensus: o.consensus },
      { logger },
    );
    console.log(`launching ${o.nodes} ${o.consensus} nodes (block time ${o.blockTime} ms) in ${dataDir}`);
    await testnet.start();
    urls = testnet.nodes().map((n) => n.url);
  }
  let interrupted = false;
  const cleanup = async () => {
    await testnet?.stop();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    interrupted = true;
  });

  try {
    const clients = urls.map((u) => new NodeClient(u));
    // Baseline once every node has a link: startup "connection refused" is not a fault.
    const linkDeadline = Date.now() + 60_000;
    while (Date.now() < linkDeadline) {
      const hs = await Promise.all(clients.map((c) => c.health().catch(() => null)));
      if (hs.every((h) => h && h.peers.connected >= Math.min(1, clients.length - 1))) break;
      await sleep(500);
    }
    const base = await Promise.all(clients.map(counters));
    const first = await sample(clients);
    const startHeight = first.common;
    console.log(`soaking ${urls.length} nodes for ${o.minutes} min, sample every ${o.interval} s, from height ${startHeight}`);
    const end = Date.now() + o.minutes * 60_000;
    let agreedSamples = 0;
    let samples = 0;
    let last = first;
    while (!interrupted) {
      const now = Date.now();
      if (now >= end) break;
      await sleep(Math.min(o.interval * 1000, end - now));
      if (interrupted) break;
      last = await sample(clients);
      samples++;
      if (last.agree) agreedSamples++;
      const cols = clients.map((_, i) => `${last.heights[i]}:${short(last.healths[i]?.blockchain.latest_block_hash)}`);
      console.log(
        `${new Date().toISOString()}  ${cols.join('  ')}  @${last.common} ${last.agree ? `agree ${short(last.hashes[0])}` : `DIVERGED ${last.hashes.map(short).join(',')}`}`,
      );
    }
    last = await sample(clients);
    const now = await Promise.all(clients.map(counters));
    const delta = (k: keyof Counters) => now.reduce((s, c, i) => s + c[k] - base[i][k], 0);

    const added = last.common - startHeight;
    const checks: Array<[string, boolean, string]> = [
      [`${o.minBlocks}+ blocks under consensus`, added >= o.minBlocks, `${added} blocks (height ${startHeight} → ${last.common})`],
      ['all nodes on one chain', last.agree, `hash at height ${last.common}: ${last.hashes.map(short).join(', ')}; agreed in ${agreedSamples}/${samples} samples`],
      [
        'no peer disconnect without an injected fault',
        delta('disconnects') === 0 || delta('chaosDropped') > 0,
        `${delta('disconnects')} disconnects, ${delta('chaosDropped')} messages dropped by chaos rules`,
      ],
      ['no signature failure', delta('signatureFailures') === 0, `${delta('signatureFailures')} failures`],
      ['no connection refused', delta('refused') === 0, `${delta('refused')} ECONNREFUSED dials`],
    ];
    for (const [name, ok, detail] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
    const pass = checks.every((c) => c[1]) && !interrupted;
    console.log(
      `${pass ? 'PASS' : 'FAIL'} consensus=${o.urls ? 'attached' : o.consensus} nodes=${urls.length} blocks=${added} height=${last.common} agree=${last.agree} disconnects=${delta('disconnects')} sigFailures=${delta('signatureFailures')} refused=${delta('refused')}${interrupted ? ' (interrupted)' : ''}`,
    );
    return pass ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    createLogger({ name: 'soak' }).fatal(errFields(err), 'soak failed');
    console.log(`FAIL soak could not run: ${(err as Error).message}`);
    process.exit(1);
  });
