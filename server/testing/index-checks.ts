// Test checks on the index: does it hold exactly each node's chain, with no gap?
import type { PrismaClient } from '../db/client.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';

/** Each node's canonical chain up to `height`, read from the node itself. */
export async function nodeChain(url: string, height: number): Promise<string[]> {
  const client = new NodeApiClient(url);
  const hashes: string[] = [];
  for (let from = 0; from <= height; from += 500) {
    const page = await client.blocks(from, Math.min(500, height - from + 1));
    hashes.push(...page.blocks.map((b) => b.hash));
  }
  return hashes;
}

/**
 * True when, for every node, the index's copy of its chain up to `height` equals what the
 * node serves. Returns a reason string otherwise (for waitFor's timeout message).
 */
export async function indexMatchesNodes(prisma: PrismaClient, nodes: Array<{ id: string; url: string }>, height: number): Promise<true | string> {
  for (const node of nodes) {
    const rows = await prisma.canonicalBlock.findMany({ where: { nodeId: node.id, height: { lte: height } }, orderBy: { height: 'asc' } });
    const indexed = rows.map((r) => r.hash);
    const served = await nodeChain(node.url, height);
    if (indexed.length !== served.length || indexed.some((h, i) => h !== served[i])) {
      const at = indexed.findIndex((h, i) => h !== served[i]);
      return `${node.id}: index has ${indexed.length} heights, node ${served.length}; first difference at ${at}`;
    }
  }
  return true;
}

/** Blocks whose parent is not indexed (should be none but genesis). */
export async function blocksMissingParent(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM blocks b
    WHERE b.height > 0 AND NOT EXISTS (SELECT 1 FROM blocks p WHERE p.hash = b.parent_hash)`;
  return Number(rows[0].n);
}
