// The requests the explorer-API benchmark times: what the explorer's pages ask for, over the
// synthetic network's deep history and its forked top window. Every path is a pure function
// of the request index, so runs are repeatable; each first answer is checked against what
// the loaded network must produce, so a fast wrong answer fails the benchmark.
import type { LatencyCase } from '../indexer/api-latency.ts';
import { routeUrl } from '../../wire/http/route.ts';
import { serverRoutes } from '../../wire/server-routes.ts';
import type { BlockResponse, BlocksResponse, ForksResponse } from '../../wire/explorer-api.ts';
import { blockTimeMs, mainHash, type TopWindow } from './synthetic-network.ts';

export interface CaseInputs {
  head: number;
  nodes: number;
  window: TopWindow;
  /** Lowest height with head history. */
  historyStart: number;
}

/** Which endpoint a case belongs to (one goal per endpoint). */
export type Endpoint = '/api/blocks' | '/api/blocks/:id' | '/api/forks';

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
  ];
}
