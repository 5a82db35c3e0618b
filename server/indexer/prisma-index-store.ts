// The indexer's database edge: reads the few things subscribers need to resume, and writes
// one IndexBatch per transaction. Every write is idempotent (ON CONFLICT DO NOTHING /
// skipDuplicates, and delete+insert of a node's canonical range), so replaying a batch after
// a crash changes nothing.
//
// The high-volume rows (blocks, transactions, canonical_blocks) go in as
// `INSERT … SELECT FROM unnest(<one array per column>)`: one statement and a handful of
// parameters per 2,000 rows, instead of Prisma's createMany (one bound parameter per value,
// built and mapped in JS), which kept the ingest at a tenth of raw COPY's speed
// (bench: `npm run bench -- indexer`). Low-volume rows (heads, peers, health) stay on Prisma.
import type { PrismaClient } from '../db/generated/client.ts';
import type { Block } from '../../wire/node-api.ts';
import type { BlockLink } from './block-graph.ts';
import type { BlockReceipt, CanonicalUpdate, EvidenceSighting, IndexBatch, RoundSighting } from './index-batch.ts';
import type { BatchSink } from './index-writer.ts';
import type { NodeRecord, SubscriberStore } from './node-subscriber.ts';
import { canonicalBytes } from '../../node/chain/encoding.ts';

/** Rows per Prisma createMany statement: keeps statements well under Postgres' parameter limit. */
const CHUNK = 1_000;
/**
 * Rows per unnest() INSERT: one array parameter per column, so no parameter limit applies.
 * Kept small because Prisma remembers the arguments of its last 100 raw statements (its debug
 * history, kept even with debug logging off): about 100 × this many rows stay on the heap.
 */
const ARRAY_CHUNK = 2_000;

function* chunks<T>(rows: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Size of the block's canonical encoding in bytes: `canonicalBytes(block).length`, without building it. */
export function blockSize(block: Block): number {
  const n = canonicalLength(block, 0);
  // Anything the fast path does not vouch for (a value canonicalBytes would refuse, …) goes
  // through the real encoder, which gives the same answer or the same error.
  return n >= 0 ? n : canonicalBytes(block).length;
}

/** Printable ASCII without `"` and `\`: JSON.stringify only adds the two quotes. */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * UTF-8 length of node/chain/encoding.ts' canonical encoding of `value` (key order does not
 * change a length, so nothing is sorted or concatenated), or -1 where that encoder would throw.
 */
function canonicalLength(value: unknown, depth: number): number {
  if (depth > 32) return -1;
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return PLAIN_JSON_STRING.test(value) ? value.length + 2 : Buffer.byteLength(JSON.stringify(value), 'utf8');
    case 'boolean':
      return value ? 4 : 5;
    case 'number':
      return Number.isSafeInteger(value) ? String(value).length : -1;
    case 'object': {
      if (Array.isArray(value)) {
        let n = 1 + Math.max(0, value.length - 1) + 1;
        for (const v of value) {
          const m = canonicalLength(v, depth + 1);
          if (m < 0) return -1;
          n += m;
        }
        return n;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return -1;
      const keys = Object.keys(value);
      let n = 1 + Math.max(0, keys.length - 1) + 1;
      for (const key of keys) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) return -1;
        const k = canonicalLength(key, depth + 1);
        const m = canonicalLength(v, depth + 1);
        if (k < 0 || m < 0) return -1;
        n += k + 1 + m;
      }
      return n;
    }
    default:
      return -1;
  }
}

// ---- Postgres array literals ---------------------------------------------------------------
// Each column travels as one text parameter holding an array literal, cast in SQL
// ($1::text[]). Built here directly: cheaper than handing Prisma and pg a JS array each,
// which both walk and escape element by element.

/** Elements that need no quoting in an array literal (hex hashes, node ids, …). */
const BARE_ELEMENT = /^[0-9a-zA-Z_.:-]+$/;

function textArray(values: readonly string[]): string {
  let bare = true;
  for (const v of values) {
    if (!BARE_ELEMENT.test(v) || (v.length === 4 && v.toUpperCase() === 'NULL')) {
      bare = false;
      break;
    }
  }
  if (bare) return `{${values.join(',')}}`;
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

function intArray(values: readonly number[]): string {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer: ${v}`);
  return `{${values.join(',')}}`;
}

function floatArray(values: readonly number[]): string {
  for (const v of values) if (!Number.isFinite(v)) throw new TypeError(`not a finite number: ${v}`);
  // String(v) is the shortest text that reads back as the same double: no precision is lost.
  return `{${values.join(',')}}`;
}

/** Unix ms → timestamptz, exactly (the column keeps milliseconds). */
const MS = (col: string) => `(timestamptz 'epoch' + ${col} * interval '1 millisecond')`;

const INSERT_BLOCKS = `
  INSERT INTO blocks (hash, chain_id, parent_hash, height, slot, proposer, "timestamp", tx_root, signature, tx_count, size_bytes, first_seen_at, first_seen_by)
  SELECT hash, chain_id, parent_hash, height, slot, proposer, ${MS('ts')}, tx_root, signature, tx_count, size_bytes, ${MS('seen_at')}, seen_by
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::int8[], $6::text[], $7::int8[], $8::text[], $9::text[], $10::int4[], $11::int4[], $12::int8[], $13::text[])
    AS r(hash, chain_id, parent_hash, height, slot, proposer, ts, tx_root, signature, tx_count, size_bytes, seen_at, seen_by)
  ON CONFLICT DO NOTHING`;

const INSERT_TXS = `
  INSERT INTO transactions (block_hash, hash, index, "from", "to", amount, nonce, "timestamp", signature, block_height)
  SELECT block_hash, hash, index, "from", "to", amount, nonce, ${MS('ts')}, signature, block_height
  FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::int8[], $7::int4[], $8::int8[], $9::text[], $10::int4[])
    AS r(block_hash, hash, index, "from", "to", amount, nonce, ts, signature, block_height)
  ON CONFLICT DO NOTHING`;

/** BFT commits: the signer keys travel as one text[] literal per row, joined with ';' and split in SQL. */
const INSERT_COMMITS = `
  INSERT INTO block_commits (block_hash, round, signers, signature_count, committed_at)
  SELECT block_hash, round, string_to_array(signers, ';'), signature_count, ${MS('seen_at')}
  FROM unnest($1::text[], $2::int4[], $3::text[], $4::int4[], $5::int8[])
    AS r(block_hash, round, signers, signature_count, seen_at)
  ON CONFLICT DO NOTHING`;

/**
 * BFT rounds, one row per (height, round), folded in memory first (one statement may not
 * touch a row twice): the earliest start, every timeout any node saw. A row first made from a
 * timeout alone has no proposer yet ('') until its round's own event arrives.
 */
const UPSERT_ROUNDS = `
  INSERT INTO consensus_rounds (height, round, proposer, started_at, timeouts, skipped)
  SELECT height, round, proposer, ${MS('at')}, string_to_array(timeouts, ';'), skipped
  FROM unnest($1::int4[], $2::int4[], $3::text[], $4::int8[], $5::text[], $6::bool[])
    AS r(height, round, proposer, at, timeouts, skipped)
  ON CONFLICT (height, round) DO UPDATE SET
    proposer = CASE WHEN consensus_rounds.proposer = '' THEN EXCLUDED.proposer ELSE consensus_rounds.proposer END,
    started_at = LEAST(consensus_rounds.started_at, EXCLUDED.started_at),
    timeouts = ARRAY(SELECT DISTINCT t FROM unnest(consensus_rounds.timeouts || EXCLUDED.timeouts) AS t ORDER BY t),
    skipped = consensus_rounds.skipped OR EXCLUDED.skipped`;

/** Equivocation evidence, one row per offence: every node that reported it, the earliest detection. */
const UPSERT_EVIDENCE = `
  INSERT INTO evidence (hash, kind, validator, height, round, detected_at, reported_by, payload)
  SELECT hash, kind, validator, height, round, ${MS('detected_at')}, string_to_array(reported_by, ';'), payload::jsonb
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::int4[], $6::int8[], $7::text[], $8::text[])
    AS r(hash, kind, validator, height, round, detected_at, reported_by, payload)
  ON CONFLICT (hash) DO UPDATE SET
    detected_at = LEAST(evidence.detected_at, EXCLUDED.detected_at),
    reported_by = ARRAY(SELECT DISTINCT n FROM unnest(evidence.reported_by || EXCLUDED.reported_by) AS n ORDER BY n)`;

/**
 * Receipts: when each node accepted each block (double precision Unix ms, sub-ms kept). The
 * first receipt of a (block, node) wins: a replayed batch or a re-sent event changes nothing.
 */
const INSERT_RECEIPTS = `
  INSERT INTO block_receipts (block_hash, node_id, height, accepted_at_ms)
  SELECT block_hash, node_id, height, accepted_at_ms
  FROM unnest($1::text[], $2::text[], $3::int4[], $4::float8[]) AS r(block_hash, node_id, height, accepted_at_ms)
  ON CONFLICT DO NOTHING`;

const DELETE_CANONICAL = `DELETE FROM canonical_blocks WHERE node_id = $1 AND height >= $2::int4`;

const INSERT_CANONICAL = `
  INSERT INTO canonical_blocks (node_id, height, hash, updated_at)
  SELECT $1, height, hash, now() FROM unnest($2::int4[], $3::text[]) AS r(height, hash)`;

interface Statement {
  sql: string;
  params: () => unknown[];
}

/** Never rejects (so a failure while the next statement is being prepared is not "unhandled"). */
function settled(p: PromiseLike<unknown>): Promise<{ error: unknown } | null> {
  return Promise.resolve(p).then(
    () => null,
    (error: unknown) => ({ error }),
  );
}

/**
 * A batch's canonical updates folded into one delete + one insert per node, with the same
 * result as applying them in order (each deletes its node's heights >= fromHeight, then
 * inserts its hashes): every row at or above the lowest fromHeight is replaced by the
 * folded chain.
 */
function foldCanonical(updates: CanonicalUpdate[]): Array<{ nodeId: string; fromHeight: number; heights: number[]; hashes: string[] }> {
  const byNode = new Map<string, { fromHeight: number; chain: Map<number, string> }>();
  for (const u of updates) {
    let entry = byNode.get(u.nodeId);
    if (!entry) byNode.set(u.nodeId, (entry = { fromHeight: u.fromHeight, chain: new Map() }));
    entry.fromHeight = Math.min(entry.fromHeight, u.fromHeight);
    for (const h of entry.chain.keys()) if (h >= u.fromHeight) entry.chain.delete(h);
    u.hashes.forEach((hash, i) => entry.chain.set(u.fromHeight + i, hash));
  }
  return [...byNode].map(([nodeId, { fromHeight, chain }]) => {
    const heights = [...chain.keys()].sort((a, b) => a - b);
    return { nodeId, fromHeight, heights, hashes: heights.map((h) => chain.get(h)!) };
  });
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
    const txs = sightings.flatMap(({ block }) => block.txs.map((t, index) => ({ blockHash: block.hash, height: block.header.height, index, t })));
    // The bulk statements, in order; each builds its column arrays only when its turn comes.
    const bulk: Statement[] = [];
    for (const part of chunks(sightings, ARRAY_CHUNK)) {
      bulk.push({
        sql: INSERT_BLOCKS,
        params: () => [
          textArray(part.map((s) => s.block.hash)),
          textArray(part.map((s) => s.block.header.chainId)),
          textArray(part.map((s) => s.block.header.parentHash)),
          intArray(part.map((s) => s.block.header.height)),
          intArray(part.map((s) => s.block.header.slot)),
          textArray(part.map((s) => s.block.header.proposer)),
          intArray(part.map((s) => s.block.header.timestamp)),
          textArray(part.map((s) => s.block.header.txRoot)),
          textArray(part.map((s) => s.block.signature)),
          intArray(part.map((s) => s.block.txs.length)),
          intArray(part.map((s) => blockSize(s.block))),
          intArray(part.map((s) => s.seenAt)),
          textArray(part.map((s) => s.seenBy)),
        ],
      });
    }
    // A block's commit, from the first sighting that carries one (a node may report a block
    // before it has the commit); written after the blocks, which it references.
    const commits = new Map<string, { hash: string; commit: NonNullable<Block['commit']>; seenAt: number }>();
    for (const s of batch.blocks) {
      if (s.block.commit && !commits.has(s.block.hash)) commits.set(s.block.hash, { hash: s.block.hash, commit: s.block.commit, seenAt: s.seenAt });
    }
    for (const part of chunks([...commits.values()], ARRAY_CHUNK)) {
      bulk.push({
        sql: INSERT_COMMITS,
        params: () => [
          textArray(part.map((c) => c.hash)),
          intArray(part.map((c) => c.commit.round)),
          textArray(part.map((c) => c.commit.signatures.map((sig) => sig.validator).join(';'))),
          intArray(part.map((c) => c.commit.signatures.length)),
          intArray(part.map((c) => c.seenAt)),
        ],
      });
    }
    for (const part of chunks(txs, ARRAY_CHUNK)) {
      bulk.push({
        sql: INSERT_TXS,
        params: () => [
          textArray(part.map((r) => r.blockHash)),
          textArray(part.map((r) => r.t.hash)),
          intArray(part.map((r) => r.index)),
          textArray(part.map((r) => r.t.from)),
          textArray(part.map((r) => r.t.to)),
          intArray(part.map((r) => r.t.amount)),
          intArray(part.map((r) => r.t.nonce)),
          intArray(part.map((r) => r.t.timestamp)),
          textArray(part.map((r) => r.t.signature)),
          intArray(part.map((r) => r.height)),
        ],
      });
    }
    const rounds = foldRounds(batch.rounds);
    for (const part of chunks(rounds, ARRAY_CHUNK)) {
      bulk.push({
        sql: UPSERT_ROUNDS,
        params: () => [
          intArray(part.map((r) => r.height)),
          intArray(part.map((r) => r.round)),
          textArray(part.map((r) => r.proposer)),
          intArray(part.map((r) => r.at)),
          textArray(part.map((r) => [...r.timeouts].join(';'))),
          `{${part.map((r) => (r.skipped ? 't' : 'f')).join(',')}}`,
        ],
      });
    }
    const evidence = foldEvidence(batch.evidence);
    for (const part of chunks(evidence, ARRAY_CHUNK)) {
      bulk.push({
        sql: UPSERT_EVIDENCE,
        params: () => [
          textArray(part.map((e) => e.record.hash)),
          textArray(part.map((e) => e.record.kind)),
          textArray(part.map((e) => e.record.validator)),
          intArray(part.map((e) => e.record.height)),
          intArray(part.map((e) => e.record.round)),
          intArray(part.map((e) => e.detectedAt)),
          textArray(part.map((e) => [...e.reportedBy].join(';'))),
          textArray(part.map((e) => JSON.stringify(e.record.evidence))),
        ],
      });
    }
    // After the blocks, which the receipts reference; within the batch, too, the first one wins.
    const receipts = firstReceipts(batch.receipts);
    for (const part of chunks(receipts, ARRAY_CHUNK)) {
      bulk.push({
        sql: INSERT_RECEIPTS,
        params: () => [
          textArray(part.map((r) => r.blockHash)),
          textArray(part.map((r) => r.nodeId)),
          intArray(part.map((r) => r.height)),
          floatArray(part.map((r) => r.acceptedAt)),
        ],
      });
    }
    for (const c of foldCanonical(batch.canonical)) {
      bulk.push({ sql: DELETE_CANONICAL, params: () => [c.nodeId, c.fromHeight] });
      for (let k = 0; k < c.heights.length; k += ARRAY_CHUNK) {
        bulk.push({ sql: INSERT_CANONICAL, params: () => [c.nodeId, intArray(c.heights.slice(k, k + ARRAY_CHUNK)), textArray(c.hashes.slice(k, k + ARRAY_CHUNK))] });
      }
    }
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
      peers: health.peers.carrying ?? health.peers.connected,
      status: health.status,
      reasons: health.reasons,
      clockOffsetMs: health.clockOffsetMs,
      paused: health.paused,
    }));

    await this.prisma.$transaction(
      async (tx) => {
        // Build statement i+1's arrays while Postgres runs statement i.
        let params = bulk.length > 0 ? bulk[0].params() : [];
        for (let i = 0; i < bulk.length; i++) {
          const running = settled(tx.$executeRawUnsafe(bulk[i].sql, ...params));
          if (i + 1 < bulk.length) {
            await new Promise<void>((resolve) => setImmediate(resolve)); // lets the statement reach the socket
            params = bulk[i + 1].params();
          }
          const failure = await running;
          if (failure) throw failure.error;
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

/** Round sightings folded per (height, round): earliest start, known proposer, every timeout, any skip. */
export function foldRounds(sightings: readonly RoundSighting[]): Array<{ height: number; round: number; proposer: string; at: number; timeouts: Set<string>; skipped: boolean }> {
  const rows = new Map<string, { height: number; round: number; proposer: string; at: number; timeouts: Set<string>; skipped: boolean }>();
  const row = (height: number, round: number, at: number) => {
    const key = `${height}/${round}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { height, round, proposer: '', at, timeouts: new Set(), skipped: false }));
    r.at = Math.min(r.at, at);
    return r;
  };
  for (const s of sightings) {
    const r = row(s.height, s.round, s.at);
    if (!r.proposer) r.proposer = s.proposer;
    if (s.skippedTo) r.skipped = true;
    if (s.timeout) {
      const t = s.timeout.round === s.round ? r : row(s.height, s.timeout.round, s.at);
      t.timeouts.add(s.timeout.step);
    }
  }
  return [...rows.values()];
}

/** One receipt per (block, node): the first queued. */
export function firstReceipts(receipts: readonly BlockReceipt[]): BlockReceipt[] {
  const seen = new Set<string>();
  return receipts.filter((r) => {
    const key = `${r.blockHash}/${r.nodeId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Evidence sightings folded per evidence hash: who reported it, the earliest detection. */
function foldEvidence(sightings: readonly EvidenceSighting[]): Array<{ record: EvidenceSighting['record']; detectedAt: number; reportedBy: Set<string> }> {
  const rows = new Map<string, { record: EvidenceSighting['record']; detectedAt: number; reportedBy: Set<string> }>();
  for (const s of sightings) {
    const r = rows.get(s.record.hash) ?? { record: s.record, detectedAt: s.record.detectedAt, reportedBy: new Set<string>() };
    r.detectedAt = Math.min(r.detectedAt, s.record.detectedAt);
    r.reportedBy.add(s.nodeId);
    rows.set(s.record.hash, r);
  }
  return [...rows.values()];
}
