// The requests the explorer-API benchmark times: what the explorer's pages ask for, over the
// synthetic network's deep history and its forked top window. Every path is a pure function
// of the request index, so runs are repeatable; each first answer is checked against what
// the loaded network must produce, so a fast wrong answer fails the benchmark.
import type { LatencyCase } from '../indexer/api-latency.ts';
import { routeUrl } from '../../wire/http/route.ts';
import { serverRoutes } from '../../wire/server-routes.ts';
import type { AccountResponse, AccountTxsResponse, BlockResponse, BlocksResponse, ForksResponse, SearchResponse } from '../../wire/explorer-api.ts';
import { accountAddress, BENCH_ACCOUNTS, blockTimeMs, mainHash, type TopWindow } from './synthetic-network.ts';

export interface CaseInputs {
  head: number;
  nodes: number;
  window: TopWindow;
  /** Lowest height with head history. */
  historyStart: number;
}

/** Which endpoint a case belongs to (one goal per endpoint). */
export type Endpoint = '/api/blocks' | '/api/blocks/:id' | '/api/forks' | '/api/accounts/:address' | '/api/accounts/:address/txs' | '/api/search';

export interface ExplorerCase extends LatencyCase {
  endpoint: Endpoint;
}

/** Spreads request i over [lo, hi] with a large prime stride: varied, deterministic, no repeats for a long while. */
const spread = (i: number, lo: number, hi: number) => lo + ((i * 7_919) % Math.max(1, hi - lo + 1));

function fail(what: string, detail: string): never {
  throw new Error(`${what}: unexpected answer (${detail})`);
}

export function explorerCases(x: CaseInputs): ExplorerCase[] {
  const { head, window } = x;
  const deepTop = window.start - 1;
  const forkHashes = window.forkBlocks.map((b) => b.hash);
  const blocksPage = (what: string) => (body: unknown) => {
    const r = body as BlocksResponse;
    if (r.blocks.length < 25) fail(what, `${r.blocks.length} blocks`);
    const held = r.blocks.filter((b) => b.nodes.length > 0).length;
    return `${r.blocks.length} blocks, ${held} held by a node`;
  };
  const blockDetail = (what: string) => (body: unknown) => {
    const b = (body as BlockResponse).block;
    if (b.txs.length !== b.txCount) fail(what, `${b.txs.length} txs listed, txCount ${b.txCount}`);
    return `height ${b.height}, ${b.txs.length} txs, ${b.nodes.length} nodes hold it, ${b.siblings.length} siblings`;
  };
  const forkTree = (what: string, expectTips: number) => (body: unknown) => {
    const f = body as ForksResponse;
    if (f.tips.length !== expectTips) fail(what, `${f.tips.length} tips, expected ${expectTips}`);
    const distinctTips = new Set(f.tips.map((t) => t.hash)).size;
    return `${f.to - f.from + 1} heights, ${f.blocks.length} blocks, ${f.tips.length} tips (${distinctTips} distinct), ${f.forkPoints.length} fork points, ${f.reorgs.length} reorgs`;
  };
  // Moments of head history deep below the window (tips then were on the plain main chain).
  const deepAt = (i: number) => {
    const h = spread(i, Math.max(x.historyStart + 200, 200), deepTop);
    return { h, at: blockTimeMs(h) + 500 };
  };
  const account = (i: number) => accountAddress(spread(i + 1, 0, BENCH_ACCOUNTS - 1));
  // A full first page; a deep page below a cursor may hold the account's last few (small runs).
  const txPage = (what: string, least: number) => (body: unknown) => {
    const r = body as AccountTxsResponse;
    if (r.txs.length < least || r.txs.length > 25) fail(what, `${r.txs.length} txs`);
    const heights = r.txs.map((t) => t.blockHeight);
    if (heights.some((h, k) => k > 0 && h > heights[k - 1])) fail(what, 'not newest first');
    return `${r.txs.length} txs (${r.txs.filter((t) => t.direction === 'out').length} out) from height ${heights[0]} down to ${heights[heights.length - 1]}`;
  };
  const accountCases: ExplorerCase[] = [
    {
      endpoint: '/api/accounts/:address',
      name: 'GET /api/accounts/:address (indexed part)',
      path: (i) => routeUrl(serverRoutes.account, { params: { address: account(i) } }),
      check: (body) => {
        const a = (body as AccountResponse).account;
        if (a.activity.sent + a.activity.received === 0) fail('account', JSON.stringify(a.activity));
        return `${a.activity.sent} sent, ${a.activity.received} received, last at height ${a.activity.lastHeight} (no nodes asked: none run here)`;
      },
    },
    {
      endpoint: '/api/accounts/:address/txs',
      name: 'GET /api/accounts/:address/txs (first page)',
      path: (i) => routeUrl(serverRoutes.accountTxs, { params: { address: account(i) }, query: { limit: 25 } }),
      check: txPage('account txs, first page', 25),
    },
    {
      endpoint: '/api/accounts/:address/txs',
      name: 'GET /api/accounts/:address/txs?cursor= (deep)',
      // A cursor anywhere in the history: the page below it.
      path: (i) => {
        const h = spread(i + 1, Math.floor(head / 4), head);
        return routeUrl(serverRoutes.accountTxs, { params: { address: account(i) }, query: { limit: 25, cursor: `${h}-${mainHash(h)}-0` } });
      },
      check: txPage('account txs, deep page', 1),
    },
    {
      endpoint: '/api/search',
      name: 'GET /api/search?q= (address prefix, 10 hex)',
      path: (i) => routeUrl(serverRoutes.search, { query: { q: account(i).slice(0, 10) } }),
      check: (body) => {
        const r = body as SearchResponse;
        if (r.result?.kind !== 'account') fail('address prefix search', JSON.stringify(r.result));
        return `${r.result.label}${r.matches ? ` (+${r.matches.length - 1} more)` : ''}`;
      },
    },
  ];
  return [
    { endpoint: '/api/blocks', name: 'GET /api/blocks (first page)', path: () => routeUrl(serverRoutes.blocks, { query: { limit: 25 } }), check: blocksPage('first page') },
    {
      endpoint: '/api/blocks',
      name: 'GET /api/blocks?before= (deep pages)',
      path: (i) => routeUrl(serverRoutes.blocks, { query: { limit: 25, before: spread(i + 1, 26, head) } }),
      check: blocksPage('deep page'),
    },
    {
      endpoint: '/api/blocks/:id',
      name: 'GET /api/blocks/:height (deep)',
      path: (i) => routeUrl(serverRoutes.block, { params: { id: String(spread(i + 1, 1, deepTop)) } }),
      check: blockDetail('deep height'),
    },
    {
      endpoint: '/api/blocks/:id',
      name: 'GET /api/blocks/:height (forked top 200)',
      path: (i) => routeUrl(serverRoutes.block, { params: { id: String(window.start + ((i * 37) % (head - window.start + 1))) } }),
      check: blockDetail('recent height'),
    },
    {
      endpoint: '/api/blocks/:id',
      name: 'GET /api/blocks/:hash (main and fork)',
      // Every fourth request a fork block, the rest main blocks anywhere in the chain.
      path: (i) => routeUrl(serverRoutes.block, { params: { id: i % 4 === 3 ? forkHashes[i % forkHashes.length] : mainHash(spread(i + 1, 0, head)) } }),
      check: blockDetail('by hash'),
    },
    {
      endpoint: '/api/forks',
      name: `GET /api/forks?from=&to= (200 heights, ${x.nodes} nodes)`,
      path: () => routeUrl(serverRoutes.forks, { query: { from: window.start, to: head } }),
      check: forkTree('fork tree', x.nodes),
    },
    {
      endpoint: '/api/forks',
      name: 'GET /api/forks?at=&from=&to= (during a fork)',
      path: (i) => routeUrl(serverRoutes.forks, { query: { at: window.episodeTimesMs[i % window.episodeTimesMs.length], from: window.start, to: head } }),
      check: forkTree('fork tree at a past fork', x.nodes),
    },
    {
      endpoint: '/api/forks',
      name: 'GET /api/forks?at=&from=&to= (deep history)',
      path: (i) => {
        const { h, at } = deepAt(i);
        return routeUrl(serverRoutes.forks, { query: { at, from: h - 199, to: h } });
      },
      check: forkTree('fork tree deep in history', x.nodes),
    },
    ...accountCases,
  ];
}
