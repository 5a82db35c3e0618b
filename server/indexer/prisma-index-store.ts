// The indexer's database edge: reads the few things subscribers need to resume, and writes
// one IndexBatch per transaction. Every write is idempotent (skipDuplicates / delete+insert
// of a node's canonical range), so replaying a batch after a crash changes nothing.
import type { PrismaClient } from '../db/generated/client.ts';
import type { Block } from '../../wire/node-api.ts';
import type { BlockLink } from './block-graph.ts';
import type { IndexBatch } from './index-batch.ts';
import type { BatchSink } from './index-writer.ts';
import type { NodeRecord, SubscriberStore } from './node-subscriber.ts';
import { canonicalBytes } from '../../node/chain/encoding.ts';

/** Rows per INSERT statement: keeps statements well under Postgres' parameter limit. */
const CHUNK = 1_000;

function* chunks<T>(rows: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export function blockSize(block: Block): number {
  return canonicalBytes(block).length;
}

export class PrismaIndexStore implements SubscriberStore, BatchSink {
  constructor(private readonly prisma: PrismaClient) {}

  async upsertNode(node: NodeRecord): Promise<void> {
    const data = {
      name: node.name,
      url: node.url,
      source: node.source,
      publicKey: node.publicKey,
      isValidator: node.validator,
      lastSeenAt: new Date(),
    };
    await this.prisma.$transaction(async (tx) => {
      // A URL now served by another node id (e.g. a wiped data dir): the old row keeps its
      // history under a retired URL, so the unique constraint on url holds.
      await tx.node.updateMany({ where: { url: node.url, NOT: { id: node.id } }, data: { url: `${node.url}#retired-${Date.now()}` } });
      await tx.node.upsert({ where: { id: node.id }, create: { id: node.id, ...data }, update: data });
    });
  }

  async cursor(nodeId: string): Promise<{ epoch: string; seq: number } | null> {
    const row = await this.prisma.node.findUnique({ where: { id: nodeId }, select: { streamEpoch: true, lastSeq: true } });
    return row?.streamEpoch && row.lastSeq !== null ? { epoch: row.streamEpoch, seq: row.lastSeq } : null;
  }

  async canonicalRange(nodeId: string, fromHeight: number, toHeight: number): Promise<Map<number, string>> {
    const rows = await this.prisma.canonicalBlock.findMany({
      where: { nodeId, height: { gte: fromHeight, lte: toHeight } },
      select: { height: true, hash: true },
    });
    return new Map(rows.map((r) => [r.height, r.hash]));
  }

  async canonicalTop(nodeId: string, limit: number): Promise<Map<number, string>> {
    const rows = await this.prisma.canonicalBlock.findMany({
      where: { nodeId },
      orderBy: { height: 'desc' },
      take: limit,
      select: { height: true, hash: true },
    });
    return new Map(rows.map((r) => [r.height, r.hash]));
  }

  async blockLink(hash: string): Promise<BlockLink | undefined> {
    const row = await this.prisma.block.findUnique({ where: { hash }, select: { hash: true, height: true, parentHash: true } });
    return row ?? undefined;
  }

  async writeBatch(batch: IndexBatch): Promise<void> {
    // Within one batch a block may be reported by several nodes: the first sighting wins.
    const seen = new Set<string>();
    const sightings = batch.blocks.filter((s) => (seen.has(s.block.hash) ? false : (seen.add(s.block.hash), true)));
    const blockRows = sightings.map(({ block, seenBy, seenAt }) => ({
      hash: block.hash,
      chainId: block.header.chainId,
      parentHash: block.header.parentHash,
      height: block.header.height,
      slot: BigInt(block.header.slot),
      proposer: block.header.proposer,
      timestamp: new Date(block.header.timestamp),
      txRoot: block.header.txRoot,
      signature: block.signature,
      txCount: block.txs.length,
      sizeBytes: blockSize(block),
      firstSeenAt: new Date(seenAt),
      firstSeenBy: seenBy,
    }));
    const txRows = sightings.flatMap(({ block }) =>
      block.txs.map((t, index) => ({
        blockHash: block.hash,
        hash: t.hash,
        index,
        from: t.from,
        to: t.to,
        amount: BigInt(t.amount),
        nonce: t.nonce,
        timestamp: new Date(t.timestamp),
        signature: t.signature,
      })),
    );
    const headRows = batch.heads.map((h) => ({
      nodeId: h.nodeId,
      streamEpoch: h.epoch,
      seq: h.seq,
      hash: h.hash,
      height: h.height,
      at: new Date(h.at),
      reorgDepth: h.reorg?.depth ?? 0,
      oldHeadHash: h.reorg?.oldHead.hash ?? null,
      oldHeadHeight: h.reorg?.oldHead.height ?? null,
      commonAncestorHash: h.reorg?.commonAncestor.hash ?? null,
      commonAncestorHeight: h.reorg?.commonAncestor.height ?? null,
    }));

    const peerRows = batch.peerEvents.map(({ nodeId, epoch, event }) => ({
      nodeId,
      streamEpoch: epoch,
      seq: event.seq,
      at: new Date(event.at),
      event: event.event,
      peerId: event.peer.id,
      peerName: event.peer.name,
      address: event.peer.address,
      direction: event.peer.direction,
      reason: event.reason,
      score: event.score,
    }));
    const healthRows = batch.healthSamples.map(({ nodeId, at, health }) => ({
      nodeId,
      at: new Date(at),
      height: health.blockchain.height,
      headHash: health.blockchain.latest_block_hash,
      peers: health.peers.connected,
      status: health.status,
      reasons: health.reasons,
      clockOffsetMs: health.clockOffsetMs,
      paused: health.paused,
    }));

    await this.prisma.$transaction(
      async (tx) => {
        for (const rows of chunks(blockRows)) await tx.block.createMany({ data: rows, skipDuplicates: true });
        for (const rows of chunks(txRows)) await tx.transaction.createMany({ data: rows, skipDuplicates: true });
        for (const update of batch.canonical) {
          await tx.canonicalBlock.deleteMany({ where: { nodeId: update.nodeId, height: { gte: update.fromHeight } } });
          const rows = update.hashes.map((hash, i) => ({ nodeId: update.nodeId, height: update.fromHeight + i, hash }));
          for (const part of chunks(rows)) await tx.canonicalBlock.createMany({ data: part });
        }
        for (const rows of chunks(headRows)) await tx.headEvent.createMany({ data: rows, skipDuplicates: true });
        for (const rows of chunks(peerRows)) await tx.peerEvent.createMany({ data: rows, skipDuplicates: true });
        for (const rows of chunks(healthRows)) await tx.healthSample.createMany({ data: rows, skipDuplicates: true });
        for (const c of batch.cursors) {
          await tx.node.update({ where: { id: c.nodeId }, data: { streamEpoch: c.epoch, lastSeq: c.seq, lastSeenAt: new Date() } });
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
}
