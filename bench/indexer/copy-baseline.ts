// The baseline: the same rows as the indexer writes (blocks, transactions, canonical_blocks),
// loaded with raw `COPY … FROM STDIN` into a fresh, migrated database with the schema's
// indexes and foreign keys in place, in one transaction. Reads the same chain file; the
// next group of pages is read and formatted while Postgres ingests the current one.
// size_bytes comes from the node's own canonical encoder, not the store's faster blockSize,
// so the row comparison with the ingested databases also checks that one.
import pg from 'pg';
import type { Block } from '../../wire/node-api.ts';
import { canonicalBytes } from '../../node/chain/encoding.ts';
import type { ChainFile } from './chain-file.ts';
import { copyFrom, copyText } from './pg-copy.ts';

const BLOCK_COLUMNS = [
  'hash',
  'chain_id',
  'parent_hash',
  'height',
  'slot',
  'proposer',
  'timestamp',
  'tx_root',
  'signature',
  'tx_count',
  'size_bytes',
  'first_seen_at',
  'first_seen_by',
];
const TX_COLUMNS = ['block_hash', 'hash', 'index', 'from', 'to', 'amount', 'nonce', 'timestamp', 'signature', 'block_height'];
const CANONICAL_COLUMNS = ['node_id', 'height', 'hash'];
/** Pages per COPY statement (5,000 blocks, 50,000 transactions at the defaults). */
const PAGES_PER_COPY = 10;

export interface NodeRow {
  id: string;
  name: string;
  url: string;
  publicKey: string;
}

interface Group {
  blocks: Buffer[];
  txs: Buffer[];
  canonical: Buffer[];
  blockRows: number;
  txRows: number;
}

function formatPage(blocks: Block[], nodeId: string): { blocks: Buffer; txs: Buffer; canonical: Buffer; txRows: number } {
  const iso = (ms: number) => new Date(ms).toISOString();
  const b: string[] = [];
  const t: string[] = [];
  const c: string[] = [];
  const seenAt = iso(Date.now());
  for (const block of blocks) {
    const h = block.header;
    b.push(
      [
        block.hash,
        copyText(h.chainId),
        h.parentHash,
        h.height,
        h.slot,
        h.proposer,
        iso(h.timestamp),
        h.txRoot,
        block.signature,
        block.txs.length,
        canonicalBytes(block).length,
        seenAt,
        copyText(nodeId),
      ].join('\t'),
    );
    block.txs.forEach((tx, index) => t.push([block.hash, tx.hash, index, tx.from, tx.to, tx.amount, tx.nonce, iso(tx.timestamp), tx.signature, block.header.height].join('\t')));
    c.push(`${copyText(nodeId)}\t${h.height}\t${block.hash}`);
  }
  const text = (lines: string[]) => Buffer.from(lines.length ? `${lines.join('\n')}\n` : '');
  return { blocks: text(b), txs: text(t), canonical: text(c), txRows: t.length };
}

async function readGroup(chain: ChainFile, firstPage: number, nodeId: string): Promise<Group> {
  const g: Group = { blocks: [], txs: [], canonical: [], blockRows: 0, txRows: 0 };
  for (let p = firstPage; p < Math.min(chain.meta.pages.length, firstPage + PAGES_PER_COPY); p++) {
    const blocks = await chain.page(p);
    const f = formatPage(blocks, nodeId);
    g.blocks.push(f.blocks);
    g.txs.push(f.txs);
    g.canonical.push(f.canonical);
    g.blockRows += blocks.length;
    g.txRows += f.txRows;
  }
  return g;
}

export interface CopyResult {
  ms: number;
  blocks: number;
  txs: number;
  canonical: number;
}

export async function copyLoad(url: string, chain: ChainFile, node: NodeRow, progress: (blocksDone: number) => void): Promise<CopyResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO nodes (id, name, url, source, public_key, is_validator) VALUES ($1, $2, $3, 'local', $4, true)`, [
      node.id,
      node.name,
      node.url,
      node.publicKey,
    ]);
    const started = performance.now();
    await client.query('BEGIN');
    let blocks = 0;
    let txs = 0;
    let canonical = 0;
    let next = readGroup(chain, 0, node.id);
    for (let p = 0; p < chain.meta.pages.length; p += PAGES_PER_COPY) {
      const group = await next;
      const copying = (async () => {
        blocks += await copyFrom(client, 'blocks', BLOCK_COLUMNS, group.blocks);
        txs += await copyFrom(client, 'transactions', TX_COLUMNS, group.txs);
        canonical += await copyFrom(client, 'canonical_blocks', CANONICAL_COLUMNS, group.canonical);
      })();
      // Read and format the next group while Postgres takes this one.
      next =
        p + PAGES_PER_COPY < chain.meta.pages.length
          ? readGroup(chain, p + PAGES_PER_COPY, node.id)
          : Promise.resolve({ blocks: [], txs: [], canonical: [], blockRows: 0, txRows: 0 });
      await Promise.all([copying, next]);
      progress(blocks);
    }
    await client.query('COMMIT');
    return { ms: performance.now() - started, blocks, txs, canonical };
  } finally {
    await client.end().catch(() => undefined);
  }
}
