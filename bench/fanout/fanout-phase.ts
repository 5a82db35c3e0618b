// One measured phase of the fanout benchmark: start a hub server process (LiveHub or the raw
// WebSocket baseline), connect the clients, warm up, measure for a fixed time, stop the
// pushes, let the last heads drain, and stop everything. Returns the raw counts.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, summarise, type Summary } from '../core/stats.ts';
import { sampleProcess } from '../live/process-sampler.ts';
import { waitFor } from '../live/wait-for.ts';
import { closeFanoutClients, connectFanoutClients, type FanoutClient, type FanoutTransport } from './fanout-clients.ts';
import type { HubServerCommand, HubServerMessage } from './hub-server.ts';
import { trend, type Trend } from './memory-trend.ts';

const HUB_SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hub-server.ts');
const WARM_UP_MS = 3_000;
const DRAIN_MS = 5_000;

export interface PhaseOptions {
  transport: FanoutTransport;
  clients: number;
  seconds: number;
  nodes: number;
  blockTimeMs: number;
  seed: string;
}

export interface PhaseResult {
  seconds: number;
  connectSeconds: number;
  eventsPerSecond: number;
  perClientMedian: number | null;
  perClientSlowest: number;
  headsPerSecond: number;
  headsPushed: number;
  lost: number;
  duplicated: number;
  disconnected: number;
  latency: Summary;
  heap: Trend;
  rss: Trend;
  gc: boolean;
  serverCpuPct: number | null;
  clientsCpuPct: number;
}

export async function runFanoutPhase(opts: PhaseOptions): Promise<PhaseResult> {
  const child = fork(HUB_SERVER, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, FANOUT_CONFIG: JSON.stringify({ nodes: opts.nodes, blockTimeMs: opts.blockTimeMs, seed: opts.seed, tickMs: 250, transport: opts.transport }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const memory: { at: number; heapUsedMB: number; rssMB: number; gc: boolean }[] = [];
  let lastSeq: number | null = null;
  let port: number | null = null;
  child.on('message', (m: HubServerMessage) => {
    if (m.type === 'ready') port = m.port;
    else if (m.type === 'memory') memory.push(m);
    else if (m.type === 'stopped') lastSeq = m.lastSeq;
  });
  const command = (c: HubServerCommand) => child.send(c);
  let clients: FanoutClient[] = [];
  try {
    await Promise.race([
      waitFor(() => port !== null, { timeoutMs: 30_000, what: `the ${opts.transport} hub server to listen` }),
      exited.then(() => {
        throw new Error(`the ${opts.transport} hub server exited before it listened`);
      }),
    ]);
    command({ type: 'drive' });
    const connectStarted = performance.now();
    clients = await connectFanoutClients(`http://127.0.0.1:${port}`, opts.clients, opts.transport, { wave: 100, timeoutMs: 60_000 });
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));

    const totalMessages = () => clients.reduce((s, c) => s + c.messages, 0);
    const totalHeads = () => clients.reduce((s, c) => s + c.headsReceived, 0);
    const perClient0 = clients.map((c) => c.messages);
    const messages0 = totalMessages();
    const heads0 = totalHeads();
    const memoryFrom = memory.length;
    const cpu0 = process.cpuUsage();
    for (const c of clients) c.recordLatency = true;
    const started = performance.now();
    const server = sampleProcess(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, opts.seconds * 1000));
    const serverUsage = server();
    const seconds = (performance.now() - started) / 1000;
    for (const c of clients) c.recordLatency = false;
    const cpu = process.cpuUsage(cpu0);
    const delivered = totalMessages() - messages0;
    const headsDelivered = totalHeads() - heads0;
    const perClientRates = clients.map((c, i) => (c.messages - perClient0[i]) / seconds);
    const window = memory.slice(memoryFrom);

    command({ type: 'stop-driving' });
    await waitFor(() => lastSeq !== null, { timeoutMs: 10_000, what: 'the hub server to stop its pushes' });
    const finalSeq = lastSeq!;
    await waitFor(() => clients.every((c) => c.lastSeq >= finalSeq), { timeoutMs: DRAIN_MS, everyMs: 100, what: 'every client to receive the last head' }).catch(() => undefined);
    return {
      seconds,
      connectSeconds,
      eventsPerSecond: delivered / seconds,
      perClientMedian: percentile(perClientRates, 0.5),
      perClientSlowest: Math.min(...perClientRates),
      headsPerSecond: headsDelivered / seconds,
      headsPushed: finalSeq,
      lost: clients.reduce((s, c) => s + c.missedHeads + Math.max(0, finalSeq - c.lastSeq), 0),
      duplicated: clients.reduce((s, c) => s + c.repeatedHeads, 0),
      disconnected: clients.filter((c) => c.disconnected).length,
      latency: summarise(clients.flatMap((c) => c.latencies)),
      heap: trend(window.map((m) => ({ at: m.at, value: m.heapUsedMB }))),
      rss: trend(window.map((m) => ({ at: m.at, value: m.rssMB }))),
      gc: window[0]?.gc ?? false,
      serverCpuPct: serverUsage.cpuPct,
      clientsCpuPct: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    };
  } finally {
    closeFanoutClients(clients);
    if (child.connected) command({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
  }
}
