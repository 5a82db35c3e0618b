// The read model behind the account page: an account's balance and nonce as each followed node
// holds them at its own head (asked of the nodes in parallel, GET /accounts/{address}, with a
// short deadline: the nodes are the truth, and under a fork they disagree), its indexed
// activity, and its transactions in and out, newest first, a keyset page at a time straight
// down the (from|to, block_height, block_hash, index) indexes.
import { Prisma, type PrismaClient } from '../db/client.ts';
import { NodeApiClient, NodeRequestError } from '../../lib/http/node-client.ts';
import type { Account, AccountNodeView, AccountTx, AccountTxsResponse, SearchResponse } from '../../wire/explorer-api.ts';
import { ACCOUNT_TX_CURSOR } from '../../wire/server-routes.ts';
import type { FollowedNode } from './consensus-queries.ts';

/** Shortest address prefix the search looks up (as for block and transaction hash prefixes). */
export const MIN_ADDRESS_PREFIX = 6;
/** Accounts a prefix search lists when several share the prefix. */
export const MAX_ADDRESS_MATCHES = 5;

/** Activity counts stop here: an index-only count of a load generator's sender stays a few ms. */
export const ACTIVITY_COUNT_CAP = 10_000;

export interface AccountQueriesOptions {
  /** The nodes to ask, read at every request (nodes come and go). */
  nodes: () => FollowedNode[];
  /** Per-node deadline: a down or partitioned node must not hold the page. */
  timeoutMs?: number;
  now?: () => number;
}

interface TxRow {
  hash: string;
  block_hash: string;
  block_height: number;
  index: number;
  from: string;
  to: string;
  amount: bigint;
  nonce: number;
  timestamp: Date;
  holders: string[];
  covered: boolean;
}

type Reading = Omit<AccountNodeView, 'differs'>;

/** `<height>-<block hash>-<position>`: where a page ended, the next one starts below it. */
export function accountTxCursor(t: { blockHeight: number; blockHash: string; index: number }): string {
  return `${t.blockHeight}-${t.blockHash}-${t.index}`;
}

function parseCursor(cursor: string): { height: number; blockHash: string; index: number } {
  const m = ACCOUNT_TX_CURSOR.exec(cursor);
  if (!m) throw new Error(`not an account transaction cursor: ${cursor}`); // the route schema let it through: a bug
  return { height: Number(m[1]), blockHash: m[2], index: Number(m[3]) };
}

/**
 * Marks the readings that disagree with the most common (balance, nonce) among the reporting
 * nodes; with a tie for most common, every reading differs from some other and all are marked.
 */
export function compareReadings(readings: Reading[]): { nodes: AccountNodeView[]; agreement: Account['agreement'] } {
  const key = (r: Reading) => `${r.balance}/${r.nonce}`;
  const reported = readings.filter((r) => r.status === 'reported');
  const counts = new Map<string, number>();
  for (const r of reported) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  const majority = [...counts].filter(([, n]) => n === top);
  const agreed = majority.length === 1 ? majority[0][0] : null;
  return {
    nodes: readings.map((r) => ({ ...r, differs: counts.size > 1 && r.status === 'reported' && key(r) !== agreed })),
    agreement: reported.length === 0 ? 'unknown' : counts.size === 1 ? 'agree' : 'differ',
  };
}

export class AccountQueries {
  private readonly clients = new Map<string, NodeApiClient>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly opts: AccountQueriesOptions,
  ) {}

  private client(node: FollowedNode): NodeApiClient {
    let c = this.clients.get(node.url);
    if (!c) this.clients.set(node.url, (c = new NodeApiClient(node.url, { timeoutMs: this.opts.timeoutMs ?? 800 })));
    return c;
  }

  /** An account as every node holds it, and what the index has of it. Any well-formed address is one. */
  async account(address: string): Promise<Account> {
    const a = address.toLowerCase();
    const readAt = this.opts.now?.() ?? Date.now();
    const nodes = this.opts.nodes();
    const [readings, { activity, nodeNames }] = await Promise.all([Promise.all(nodes.map((n) => this.reading(n, a))), this.indexed(a)]);
    readings.sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
    return { address: a, nodeNames, ...compareReadings(readings), activity, readAt };
  }

  private async reading(node: FollowedNode, address: string): Promise<Reading> {
    const base = { nodeId: node.nodeId, name: node.name };
    try {
      const r = await this.client(node).account(address);
      return { ...base, status: 'reported', head: r.head, balance: r.balance, nonce: r.nonce, error: null };
    } catch (err) {
      const notReported = err instanceof NodeRequestError && err.code === 'NODE_NOT_FOUND';
      return {
        ...base,
        status: notReported ? 'not-reported' : 'unreachable',
        head: null,
        balance: null,
        nonce: null,
        error: notReported ? 'this node does not report accounts (no GET /accounts on its API)' : err instanceof NodeRequestError ? err.reason : (err as Error).message,
      };
    }
  }

  /** What the index has of an address, in one round trip: its activity and the nodes whose key it is. */
  private async indexed(address: string): Promise<{ activity: Account['activity']; nodeNames: string[] }> {
    // Each count stops at the cap; the last height is one descent of each index.
    const [row] = await this.prisma.$queryRaw<Array<{ sent: number; received: number; last_height: number | null; names: string[] }>>`
      SELECT
        ARRAY(SELECT DISTINCT name FROM nodes WHERE public_key = ${address} ORDER BY name) AS names,
        (SELECT count(*)::int4 FROM (SELECT 1 FROM transactions WHERE "from" = ${address} LIMIT ${ACTIVITY_COUNT_CAP}) s) AS sent,
        (SELECT count(*)::int4 FROM (SELECT 1 FROM transactions WHERE "to" = ${address} LIMIT ${ACTIVITY_COUNT_CAP}) r) AS received,
        GREATEST(
          (SELECT block_height FROM transactions WHERE "from" = ${address} ORDER BY block_height DESC LIMIT 1),
          (SELECT block_height FROM transactions WHERE "to" = ${address} ORDER BY block_height DESC LIMIT 1)) AS last_height`;
    return { activity: { sent: row.sent, received: row.received, countCap: ACTIVITY_COUNT_CAP, lastHeight: row.last_height }, nodeNames: row.names };
  }

  /**
   * The account's transactions, newest first (block height, block hash, position: descending),
   * `limit` at a time below `cursor`. Each side (sent, received) reads at most limit + 1 rows
   * from its index, so a page costs the same deep in a long history as at its top.
   */
  async txs(address: string, limit: number, cursor: string | undefined): Promise<AccountTxsResponse> {
    const a = address.toLowerCase();
    const c = cursor === undefined ? null : parseCursor(cursor);
    const below = c ? Prisma.sql`AND (block_height, block_hash, index) < (${c.height}, ${c.blockHash}, ${c.index})` : Prisma.empty;
    const columns = Prisma.sql`hash, block_hash, block_height, index, "from", "to", amount, nonce, "timestamp"`;
    const order = Prisma.sql`ORDER BY block_height DESC, block_hash DESC, index DESC`;
    const rows = await this.prisma.$queryRaw<TxRow[]>`
      SELECT p.*,
        ARRAY(SELECT cb.node_id FROM canonical_blocks cb WHERE cb.hash = p.block_hash ORDER BY cb.node_id) AS holders,
        EXISTS (SELECT 1 FROM canonical_blocks cb WHERE cb.height = p.block_height) AS covered
      FROM (
        (SELECT ${columns} FROM transactions WHERE "from" = ${a} ${below} ${order} LIMIT ${limit + 1})
        UNION ALL
        -- A transfer to itself is listed once, from the sent side.
        (SELECT ${columns} FROM transactions WHERE "to" = ${a} AND "from" <> ${a} ${below} ${order} LIMIT ${limit + 1})
      ) p
      ${order}
      LIMIT ${limit + 1}`;
    const page = rows.slice(0, limit).map((r): AccountTx => {
      const direction = r.from === r.to ? 'self' : r.from === a ? 'out' : 'in';
      return {
        hash: r.hash,
        blockHash: r.block_hash,
        blockHeight: r.block_height,
        index: r.index,
        from: r.from,
        to: r.to,
        amount: r.amount.toString(),
        nonce: r.nonce,
        timestamp: r.timestamp.getTime(),
        direction,
        nodes: r.holders,
        orphaned: r.holders.length === 0 && r.covered,
      };
    });
    const last = page[page.length - 1];
    return { txs: page, nextCursor: rows.length > limit && last ? accountTxCursor(last) : null };
  }

  /**
   * Where an address or an address prefix (at least MIN_ADDRESS_PREFIX hex digits, `0x` allowed)
   * leads: a full address is always an account; a prefix is looked up among the addresses the
   * index has seen (senders, recipients, node keys). Null when it is no address or matches none.
   */
  async search(query: string): Promise<SearchResponse | null> {
    const q = query.trim();
    const m = new RegExp(`^(?:0x)?([0-9a-fA-F]{${MIN_ADDRESS_PREFIX},64})$`).exec(q);
    if (!m) return null;
    const prefix = m[1].toLowerCase();
    const found = prefix.length === 64 ? [prefix] : await this.addressesWithPrefix(prefix, MAX_ADDRESS_MATCHES + 1);
    if (found.length === 0) return null;
    const names = await this.prisma.$queryRaw<Array<{ public_key: string; name: string }>>`
      SELECT DISTINCT public_key, name FROM nodes WHERE public_key = ANY(${found}::text[]) ORDER BY name`;
    const hit = (address: string) => {
      const owner = names.find((n) => n.public_key === address);
      return { kind: 'account' as const, id: address, path: `/accounts/${address}`, label: owner ? `Account of ${owner.name}` : `Account ${address.slice(0, 12)}…` };
    };
    const hits = found.slice(0, MAX_ADDRESS_MATCHES).map(hit);
    return { query: q, result: hits[0], ...(found.length > 1 ? { matches: hits } : {}) };
  }

  /**
   * Distinct addresses starting with `prefix`, in order, at most `limit`: a skip scan (one index
   * descent per address, however many transactions each has) over senders and recipients, and
   * the node keys. Hex digits sort the same in every collation, so the prefix is a range.
   */
  private async addressesWithPrefix(prefix: string, limit: number): Promise<string[]> {
    const hi = `${prefix}g`;
    const rows = await this.prisma.$queryRaw<Array<{ address: string }>>`
      WITH RECURSIVE
        senders(address, n) AS (
          (SELECT "from", 1 FROM transactions WHERE "from" >= ${prefix} AND "from" < ${hi} ORDER BY "from" LIMIT 1)
          UNION ALL
          SELECT (SELECT t."from" FROM transactions t WHERE t."from" > s.address AND t."from" < ${hi} ORDER BY t."from" LIMIT 1), s.n + 1
          FROM senders s WHERE s.address IS NOT NULL AND s.n < ${limit}
        ),
        recipients(address, n) AS (
          (SELECT "to", 1 FROM transactions WHERE "to" >= ${prefix} AND "to" < ${hi} ORDER BY "to" LIMIT 1)
          UNION ALL
          SELECT (SELECT t."to" FROM transactions t WHERE t."to" > r.address AND t."to" < ${hi} ORDER BY t."to" LIMIT 1), r.n + 1
          FROM recipients r WHERE r.address IS NOT NULL AND r.n < ${limit}
        )
      SELECT DISTINCT address FROM (
        SELECT address FROM senders
        UNION ALL SELECT address FROM recipients
        UNION ALL (SELECT public_key FROM nodes WHERE public_key >= ${prefix} AND public_key < ${hi})
      ) a
      WHERE address IS NOT NULL AND starts_with(address, ${prefix})
      ORDER BY address
      LIMIT ${limit}`;
    return rows.map((r) => r.address);
  }
}
