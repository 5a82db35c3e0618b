// One propagation measurement: an N-node local testnet on loopback, every node's acceptance
// time of each block (from its /stream, by its own clock), and the P2P traffic counters
// (/metrics) over the same window of blocks.
//
// Window: it opens when a block is accepted by every node (after `warmupBlocks` such blocks,
// so links, JIT and caches are warm) and closes when the block `blocks` heights later is
// accepted by every node. Counters are read at both edges, at the same phase of a slot, so
// the late echoes of the first block and of the last one cancel out.
import { metricsOf } from '../testnet/node-metrics.ts';
import { sumOf, type Sample } from '../testnet/prometheus-text.ts';
import { BlockTap, type BlockSeen } from '../testnet/block-tap.ts';
import { loadAverage, startBenchTestnet, waitForPeers } from '../testnet/bench-testnet.ts';

export interface PropagationOptions {
  nodes: number;
  blocks: number;
  blockTimeMs: number;
  warmupBlocks: number;
  txRate: number;
  seed: string;
  say: (line: string) => void;
}

export interface TrafficTotals {
  /** Over every node, received during the window. */
  blockMessagesIn: number;
  blockBytesIn: number;
  /** Every P2P message type (block, status, txs, catch-up, …). */
  messagesIn: number;
  bytesIn: number;
  statusMessagesIn: number;
  /** Mean size of one block message (what one copy costs). */
  blockMessageBytes: number | null;
}

export interface PropagationResult {
  nodes: number;
  /** Blocks produced inside the window. */
  blocks: number;
  /** ms, one per (block, node other than its proposer): acceptance − proposer's acceptance. */
  perNodeDelays: number[];
  /** ms, one per block: the last node's acceptance − proposer's acceptance. */
  everyNodeDelays: number[];
  /** (block, node) pairs never accepted by the end of the window (forks or losses). */
  missing: number;
  traffic: TrafficTotals;
  /** Half the median ping RTT over all links: what one hop of the transport costs here. */
  oneHopFloorMs: number | null;
  coarseTimestamps: number;
  startupMs: number;
  loadAverage: string;
}

function trafficBetween(before: Sample[][], after: Sample[][]): TrafficTotals {
  const delta = (name: string, match: Record<string, string>) => after.reduce((s, a, i) => s + sumOf(a, name, match) - sumOf(before[i], name, match), 0);
  const blockOut = delta('node_p2p_messages_total', { direction: 'out', type: 'block' });
  const blockBytesOut = delta('node_p2p_bytes_total', { direction: 'out', type: 'block' });
  return {
    blockMessagesIn: delta('node_p2p_messages_total', { direction: 'in', type: 'block' }),
    blockBytesIn: delta('node_p2p_bytes_total', { direction: 'in', type: 'block' }),
    messagesIn: delta('node_p2p_messages_total', { direction: 'in' }),
    bytesIn: delta('node_p2p_bytes_total', { direction: 'in' }),
    statusMessagesIn: delta('node_p2p_messages_total', { direction: 'in', type: 'status' }),
    blockMessageBytes: blockOut > 0 ? blockBytesOut / blockOut : null,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function measurePropagation(opts: PropagationOptions): Promise<PropagationResult> {
  const n = opts.nodes;
  const started = performance.now();
  const net = await startBenchTestnet({ label: `propagation-${n}`, nodes: n, blockTimeMs: opts.blockTimeMs, txRate: opts.txRate, seed: opts.seed });
  let tap: BlockTap | null = null;
  let ok = false;
  try {
    await waitForPeers(net.clients, n - 1, 30_000);
    const urls = net.nodes.map((x) => x.url);
    tap = await BlockTap.open(urls);
    const startupMs = performance.now() - started;
    const everyone = (b: BlockSeen) => b.acceptedAt.size === n;
    const slotWait = (count: number) => (count + 2) * opts.blockTimeMs * 3 + 10_000;
    const first = await tap.waitFor(everyone, slotWait(1), 'a first block accepted by every node');
    const open = await tap.waitFor((b) => everyone(b) && b.height >= first.height + opts.warmupBlocks, slotWait(opts.warmupBlocks), 'the warm-up blocks');
    const before = await metricsOf(urls);
    opts.say(`  ${n} nodes up and meshed in ${(startupMs / 1000).toFixed(1)} s; window opens at height ${open.height}`);
    const close = await tap.waitFor((b) => everyone(b) && b.height >= open.height + opts.blocks, slotWait(opts.blocks), `${opts.blocks} blocks accepted by every node`);
    const after = await metricsOf(urls);
    const load = loadAverage();

    const perNodeDelays: number[] = [];
    const everyNodeDelays: number[] = [];
    let missing = 0;
    let blocks = 0;
    for (const b of tap.blocks.values()) {
      if (b.height <= open.height || b.height > close.height) continue;
      blocks++;
      const proposer = tap.publicKeys.indexOf(b.proposer);
      const producedAt = b.acceptedAt.get(proposer);
      missing += n - b.acceptedAt.size;
      if (producedAt === undefined) continue; // a proposer always accepts its own block first; absent only if its stream broke
      let last = 0;
      for (const [node, at] of b.acceptedAt) {
        if (node === proposer) continue;
        const d = at - producedAt;
        perNodeDelays.push(d);
        last = Math.max(last, d);
      }
      if (b.acceptedAt.size === n) everyNodeDelays.push(last);
    }
    const rtts = (await Promise.all(net.clients.map((c) => c.peers().catch(() => [])))).flat().flatMap((p) => (p.state === 'connected' && p.rttMs !== null ? [p.rttMs] : []));
    const rtt = median(rtts);
    ok = true;
    return {
      nodes: n,
      blocks,
      perNodeDelays,
      everyNodeDelays,
      missing,
      traffic: trafficBetween(before, after),
      oneHopFloorMs: rtt === null ? null : rtt / 2,
      coarseTimestamps: tap.coarse,
      startupMs,
      loadAverage: load,
    };
  } finally {
    tap?.close();
    await net.stop({ keepDir: !ok });
    if (!ok) opts.say(`  node logs kept in ${net.dataDir}`);
  }
}
