// What a recorded run's history is read from, on a control plane that is running: every node's
// head sampled through the public API, the chaos records the run left (by id range: the actions
// it applied and those the controller applied on their behalf, expiry heals included), and the
// index compared with every node's own chain over the heights the run covered.
import type { z } from 'zod';
import type { PrismaClient } from '../db/client.ts';
import type { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import type { ChainReading, IndexCheckSchema } from '../../wire/run-history.ts';
import { toRecord } from '../control/chaos-controller.ts';
import { sleep } from '../../lib/abortable-sleep.ts';

type IndexCheck = z.infer<typeof IndexCheckSchema>;

/** Polls `check` every 250 ms until it holds (true) or `timeoutMs` passes (false); a failing check counts as not holding. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

/** Whether the monitor says the network agrees (one chain, or on BFT, one finalized chain moving). */
export async function networkAgreed(api: ControlPlaneClient): Promise<boolean> {
  return (await api.call('health', {})).network.status === 'agreed';
}

/** Every node's head read through GET /api/nodes every `everyMs` until stopped; nodes that are down give no reading. */
export function sampleHeads(api: ControlPlaneClient, into: ChainReading[], everyMs: number): { stop: () => Promise<void> } {
  const stopped = new AbortController();
  const done = (async () => {
    while (!stopped.signal.aborted) {
      const at = Date.now();
      const nodes = await api.call('nodes', {}).then(
        (r) => r.nodes,
        () => [],
      );
      for (const n of nodes) if (n.height !== null && n.headHash !== null && n.status !== 'down') into.push({ nodeId: n.id, at, height: n.height, hash: n.headHash });
      await sleep(everyMs, stopped.signal);
    }
  })();
  return {
    stop: () => {
      stopped.abort();
      return done;
    },
  };
}

/** The newest chaos record's id (0 when none): a run's own records are those after it. */
export async function lastChaosId(prisma: PrismaClient): Promise<number> {
  const { _max } = await prisma.chaosAction.aggregate({ _max: { id: true } });
  return _max.id ?? 0;
}

/** Every chaos action recorded after `afterId`: whoever applied it (the run, the controller's expiry, a user meanwhile) it acted during the run. */
export async function chaosRecordsAfter(prisma: PrismaClient, afterId: number): Promise<ChaosRecord[]> {
  const rows = await prisma.chaosAction.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' } });
  return rows.map(toRecord);
}

/** A node's canonical hashes at heights from..to, read from the node itself. */
async function servedChain(url: string, from: number, to: number): Promise<string[]> {
  const client = new NodeApiClient(url);
  const hashes: string[] = [];
  for (let h = from; h <= to; h += 500) {
    const page = await client.blocks(h, Math.min(500, to - h + 1));
    hashes.push(...page.blocks.map((b) => b.hash));
  }
  return hashes;
}

/**
 * The index's copy of each node's chain at heights `from`..(the lowest head now) against the
 * node's own, once the index has caught up (up to 60 s). Only the heights the run covered are
 * read, so a run on a network with a long history costs what the run added, not the whole chain.
 */
export async function compareIndex(prisma: PrismaClient, api: ControlPlaneClient, from: number): Promise<IndexCheck> {
  const status = await api.call('nodes', {});
  const to = Math.min(...status.nodes.map((n) => n.height ?? 0));
  const start = Math.max(0, Math.min(from, to));
  // A health-only node's blocks are never indexed (it may still serve /blocks): nothing to compare.
  const headOnly = new Set(status.nodes.filter((n) => n.healthOnly).map((n) => n.id));
  const rows = (await prisma.node.findMany({ select: { id: true, url: true } })).filter((n) => !headOnly.has(n.id));
  let missing = 0;
  let mismatched: string[] = [];
  for (let attempt = 0; attempt < 120; attempt++) {
    missing = 0;
    mismatched = [];
    for (const node of rows) {
      const served = await servedChain(node.url, start, to).catch(() => null);
      if (served === null) continue; // a node that no longer answers has nothing to compare
      const indexed = await prisma.canonicalBlock.findMany({ where: { nodeId: node.id, height: { gte: start, lte: to } }, select: { hash: true }, orderBy: { height: 'asc' } });
      const have = new Set(indexed.map((r) => r.hash));
      const lost = served.filter((h) => !have.has(h)).length;
      missing += lost;
      if (lost > 0 || indexed.length !== served.length || indexed.some((r, i) => r.hash !== served[i])) mismatched.push(node.id);
    }
    if (mismatched.length === 0) break;
    await sleep(500);
  }
  return { missingBlocks: missing, invalidBlocks: await blocksMissingParent(prisma, start), mismatchedNodes: mismatched };
}

/** Indexed blocks above `from` whose parent is not indexed (a block is never stored before its parent). */
async function blocksMissingParent(prisma: PrismaClient, from: number): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM blocks b
    WHERE b.height > ${Math.max(0, from)} AND NOT EXISTS (SELECT 1 FROM blocks p WHERE p.hash = b.parent_hash)`;
  return Number(rows[0].n);
}
