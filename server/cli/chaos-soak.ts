// `npm run soak -- --chaos --minutes 30 [--nodes 4]`: the whole control plane on its own local
// testnet and embedded Postgres, injecting random faults (partition, latency, loss, kill,
// pause, clock skew) through the same chaos API users click, each followed by a heal. After
// every heal all nodes must agree within a bound; at the end the index must equal the union of
// the nodes' chains. Prints every fault and convergence time, then PASS/FAIL with the figures.
// With --consensus bft the testnet runs the BFT engine; after each heal the time until commits
// resume is printed too, and any safety-violation alert fails the run (PoA runs check it too).
// The soak is a recorded run too (kind 'soak', server/runs/run-recorder.ts): stored in its
// control plane's runs table with its options as manifest, the seed, every fault it drew, the
// head history and a verdict; --out writes it as a run file, --upload posts it to an explorer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { sleep } from '../../lib/abortable-sleep.ts';
import pino from 'pino';
import { loadServerConfig } from '../config.ts';
import { startControlPlane } from '../control-plane.ts';
import { freePorts } from '../../lib/free-port.ts';
import { indexMatchesNodes, blocksMissingParent } from '../testing/index-checks.ts';
import type { ChaosAction } from '../../wire/chaos-api.ts';
import { sameTargets } from '../control/node-targets.ts';
import { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import { TESTNET_CONSENSUS, type TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';
import type { RunStep } from '../../wire/run-api.ts';
import { RunRecorder, type Recording } from '../runs/run-recorder.ts';
import { RunStore } from '../runs/run-store.ts';
import { uploadRunFile } from '../runs/run-upload.ts';
import { recoverySpread } from '../experiments/verdict.ts';

const program = new Command()
  .name('chaos-soak')
  .option('--nodes <n>', 'local nodes', '4')
  .option('--minutes <m>', 'how long to inject faults', '30')
  .option('--block-time <ms>', 'block time', '500')
  .option('--converge-sec <s>', 'bound on agreement after each heal', '60')
  .option('--consensus <engine>', `consensus engine of the local testnet (${TESTNET_CONSENSUS.join('|')})`, 'poa')
  .option('--seed <n>', 'random seed (same seed, same fault sequence)', String(Date.now() % 100000))
  .option('--out <file>', 'write the recorded run as a run file (import it on the explorer: /runs, or POST /api/runs/import)')
  .option('--upload <url>', 'post the recorded run to a running explorer at this URL and print its page')
  .option('--token <token>', 'control token of the explorer --upload posts to (default: the CONTROL_TOKEN environment variable)')
  .allowUnknownOption(true)
  .parse();

const o = program.opts<{
  nodes: string;
  minutes: string;
  blockTime: string;
  convergeSec: string;
  seed: string;
  consensus: string;
  out?: string;
  upload?: string;
  token?: string;
}>();
if (!(TESTNET_CONSENSUS as readonly string[]).includes(o.consensus)) {
  console.error(`chaos soak: --consensus must be one of ${TESTNET_CONSENSUS.join('|')}, not ${o.consensus}`);
  process.exit(2);
}
const seed = Number(o.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
  console.error(`chaos soak: --seed must be an integer from 0 to 4294967295, not ${o.seed}`);
  process.exit(2);
}
const uploadToken = o.token ?? process.env.CONTROL_TOKEN;
if (o.upload !== undefined && !uploadToken) {
  console.error('chaos soak: --upload needs the explorer’s control token: set CONTROL_TOKEN or pass --token');
  process.exit(2);
}
const consensus = o.consensus as TestnetConsensus;

/** Small deterministic PRNG, so a failing sequence can be replayed with --seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Median and maximum of durations (0 for none). */
function spread(ms: number[]): { median: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0, max: sorted.length ? sorted[sorted.length - 1] : 0 };
}

async function main(): Promise<void> {
  const nodes = Number(o.nodes);
  const minutes = Number(o.minutes);
  const convergeMs = Number(o.convergeSec) * 1000;
  const rand = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chaos-soak-'));
  const token = 'chaos-soak-token-0123456789';
  const config = {
    ...loadServerConfig({ NODE_ENV: 'production' }),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    nodes,
    consensus,
    blockTimeMs: Number(o.blockTime),
    nodeBasePort: await freePorts(nodes + 4),
    txRate: 2,
    controlToken: token,
    serveExplorer: false,
  };
  console.log(`chaos soak: ${nodes} ${consensus} nodes, ${minutes} min, block time ${config.blockTimeMs} ms, seed ${o.seed}, data in ${dataDir}`);
  const plane = await startControlPlane(config, { logger: pino({ level: 'silent' }), serveExplorer: false });
  const api = new ControlPlaneClient(plane.url, { token, timeoutMs: 30_000 });
  // Every action the soak draws, as a step of its recorded run (seconds from the recording's start).
  const steps: RunStep[] = [];
  let recordingStartedAt = Date.now();
  const chaos = async (action: ChaosAction) => {
    steps.push({ at: Math.max(0, Date.now() - recordingStartedAt) / 1000, action });
    return (await api.call('applyChaos', { body: action })).action.status;
  };
  const agreed = async (): Promise<boolean> => {
    const [h, n] = await Promise.all([api.call('health', {}), api.call('nodes', {})]);
    return h.network.status === 'agreed' && n.nodes.length === nodes && n.nodes.every((x) => x.status === 'in-sync');
  };
  const waitAgreed = async (boundMs: number): Promise<number | null> => {
    const t0 = Date.now();
    while (Date.now() - t0 < boundMs) {
      if (await agreed().catch(() => false)) return Date.now() - t0;
      await sleep(250);
    }
    return null;
  };

  /** Every node's head height (a BFT head is final), or null while one is not known. */
  const heights = async (): Promise<number[] | null> => {
    const n = await api.call('nodes', {});
    const hs = n.nodes.map((x) => x.height);
    return n.nodes.length === nodes && hs.every((h) => typeof h === 'number') ? (hs as number[]) : null;
  };
  /** BFT: ms from the heal until every node holds a block above the highest one any node had at the heal. */
  const waitCommitsResumed = async (boundMs: number): Promise<number | null> => {
    const t0 = Date.now();
    const atHeal = await heights().catch(() => null);
    const base = atHeal ? Math.max(...atHeal) : Number.POSITIVE_INFINITY;
    while (Date.now() - t0 < boundMs) {
      const now = await heights().catch(() => null);
      if (now && Math.min(...now) > base) return Date.now() - t0;
      await sleep(100);
    }
    return null;
  };

  const convergence: number[] = [];
  const resumed: number[] = [];
  let notResumed = 0;
  let faults = 0;
  let heals = 0;
  let failures = 0;
  let exitCode: number;
  let recording: Recording | null = null;
  try {
    if ((await waitAgreed(120_000)) === null) throw new Error('the testnet never agreed before the first fault');
    const runs = new RunStore(plane.prisma);
    const recorder = new RunRecorder({ prisma: plane.prisma, runs, token });
    recorder.baseUrl = plane.url;
    const opened = await recorder.open({
      kind: 'soak',
      name: `chaos soak: ${nodes} ${consensus} nodes, ${minutes} min`,
      description: 'Random faults (partition, latency, loss, kill, pause, clock skew), each held 5-20 s and healed; agreement required within the bound after every heal.',
      actor: 'cli',
      engine: consensus,
      nodes,
      seed,
      manifest: { nodes, minutes, blockTimeMs: config.blockTimeMs, convergeSec: Number(o.convergeSec), consensus, seed },
      schedule: [],
    });
    recording = await recorder.start(opened, { engine: consensus, recoveryBoundSec: Number(o.convergeSec), settleMs: 2 * config.blockTimeMs });
    recordingStartedAt = recording.startedAt;
    const end = Date.now() + minutes * 60_000;
    while (Date.now() < end) {
      const ids = (await api.call('nodes', {})).nodes.map((n) => n.id);
      const victim = pick(ids);
      const shuffled = [...ids].sort(() => rand() - 0.5);
      const cut = 1 + Math.floor(rand() * (ids.length - 1));
      const kinds: ChaosAction[] = [
        { kind: 'partition', groups: [shuffled.slice(0, cut), shuffled.slice(cut)], oneWay: false },
        { kind: 'latency', target: {}, delayMs: 100 + Math.floor(rand() * 400), jitterMs: Math.floor(rand() * 200) },
        { kind: 'loss', target: { node: victim }, pct: 10 + Math.floor(rand() * 40) },
        { kind: 'kill', node: victim },
        { kind: 'pause', node: victim },
        { kind: 'clock-skew', node: victim, offsetMs: (rand() < 0.5 ? -1 : 1) * (5_000 + Math.floor(rand() * 30_000)) },
      ];
      const action = pick(kinds);
      const holdMs = 5_000 + Math.floor(rand() * 15_000);
      const status = await chaos(action);
      faults++;
      const started = new Date().toISOString().slice(11, 19);
      await sleep(holdMs);
      if (action.kind === 'kill') await chaos({ kind: 'restart', ...sameTargets(action) });
      await chaos({ kind: 'heal' });
      heals++;
      // Both measured from the heal, side by side: agreement may come before new commits or after.
      const [took, resumedMs] = await Promise.all([waitAgreed(convergeMs), consensus === 'bft' ? waitCommitsResumed(convergeMs) : Promise.resolve(null)]);
      if (consensus === 'bft') {
        if (resumedMs === null) notResumed++;
        else resumed.push(resumedMs);
      }
      const resumedText = consensus === 'bft' ? (resumedMs === null ? ', commits NOT resumed' : `, commits resumed ${(resumedMs / 1000).toFixed(1)} s after heal`) : '';
      const label = action.kind === 'partition' ? `partition ${action.groups.map((g) => g.length).join('|')}` : action.kind;
      if (took === null) {
        failures++;
        console.log(`${started}  fault ${faults}: ${label} (${status}) for ${(holdMs / 1000).toFixed(0)} s → NOT agreed within ${convergeMs / 1000} s${resumedText}`);
        await waitAgreed(5 * convergeMs); // let it settle before the next fault
      } else {
        convergence.push(took);
        console.log(`${started}  fault ${faults}: ${label} (${status}) for ${(holdMs / 1000).toFixed(0)} s → agreed ${(took / 1000).toFixed(1)} s after heal${resumedText}`);
      }
    }

    const { run: recordedRun, recorded } = await recording.close({ cutShort: false, schedule: steps });
    recording = null;

    // The index must hold exactly every node's chain.
    const target = Math.min(...(await api.call('nodes', {})).nodes.map((n) => n.height ?? 0));
    const rows = await plane.prisma.node.findMany({ select: { id: true, url: true } });
    let match: true | string = 'not checked';
    for (let i = 0; i < 120 && match !== true; i++) {
      match = await indexMatchesNodes(plane.prisma, rows, target);
      if (match !== true) await sleep(500);
    }
    const missingParents = await blocksMissingParent(plane.prisma);
    const { median, max } = spread(convergence);
    const safetyViolations = (await api.call('alerts', { query: { limit: 500 } })).alerts.filter((a) => a.kind === 'safety-violation');
    for (const a of safetyViolations) console.log(`safety violation: ${a.message}`);
    const commits = spread(resumed);
    // Heights a fault made take more than one round: the index holds each block's commit round.
    const roundsAboveZero = consensus === 'bft' ? await plane.prisma.blockCommit.count({ where: { round: { gt: 0 } } }) : 0;
    const ok = failures === 0 && match === true && missingParents === 0 && faults > 0 && safetyViolations.length === 0 && notResumed === 0;
    console.log(`index equals every node's chain up to ${target}: ${match === true ? 'yes' : match}; blocks missing a parent: ${missingParents}`);
    console.log(
      `${ok ? 'PASS' : 'FAIL'} consensus=${consensus} nodes=${nodes} minutes=${minutes} faults=${faults} heals=${heals} not-converged=${failures} ` +
        `convergence median=${(median / 1000).toFixed(1)}s max=${(max / 1000).toFixed(1)}s lost-blocks=${match === true && missingParents === 0 ? 0 : 'see above'} ` +
        `safety-violations=${safetyViolations.length}` +
        (consensus === 'bft'
          ? ` commits-resumed median=${(commits.median / 1000).toFixed(1)}s max=${(commits.max / 1000).toFixed(1)}s not-resumed=${notResumed} heights-decided-after-round-0=${roundsAboveZero}`
          : ''),
    );
    if (recorded) {
      const v = recorded.verdict;
      const spreadSec = recoverySpread(v);
      console.log(
        `VERDICT valid=${v.valid} safety=${v.safety.valid} liveness=${v.liveness.valid} integrity=${v.integrity.valid} ` +
          `recovery median=${spreadSec.median?.toFixed(1) ?? '-'}s max=${spreadSec.max?.toFixed(1) ?? '-'}s (recorded run ${recordedRun.id}, ${recordedRun.status})`,
      );
      for (const [name, check] of [
        ['safety', v.safety],
        ['liveness', v.liveness],
        ['integrity', v.integrity],
      ] as const)
        if (check.valid !== true) console.log(`${name}: ${check.valid} (${check.reasons.join('; ')})`);
    } else console.log(`the run could not be recorded: ${(await runs.summary(recordedRun.id)).status}`);
    const file = await runs.exportFile(recordedRun.id);
    if (o.out) {
      writeFileSync(o.out, JSON.stringify(file) + '\n');
      console.log(`run written to ${o.out}`);
    }
    if (o.upload !== undefined) {
      const uploaded = await uploadRunFile(file, { url: o.upload, token: uploadToken! });
      console.log(`run ${uploaded.created ? 'uploaded' : 'was already there'}: ${uploaded.page}`);
    }
    exitCode = ok ? 0 : 1;
  } catch (err) {
    // The run stops here: what was recorded is judged and kept with the error.
    await recording?.close({ error: err as Error }).catch(() => undefined);
    throw err;
  } finally {
    await plane.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((err: Error) => {
  console.error(`chaos soak: ${err.message}`);
  process.exit(2);
});
