// Pure rules for the live first page of /blocks: which pushed blocks update rows in place,
// which are new, and how new ones enter the page without breaking the "older" cursor.
import type { BlockSummary, BlocksResponse } from '../../../wire/explorer-api.ts';

/** Replace rows whose hash is already on the page (holders changed); report the rest as new. */
export function splitPush(page: BlocksResponse, incoming: BlockSummary[]): { updated: BlocksResponse; fresh: BlockSummary[] } {
  const index = new Map(page.blocks.map((b, i) => [b.hash, i]));
  const lowest = page.blocks.length ? page.blocks[page.blocks.length - 1].height : -1;
  let blocks: BlockSummary[] | null = null;
  const fresh: BlockSummary[] = [];
  for (const b of incoming) {
    const i = index.get(b.hash);
    if (i !== undefined) {
      blocks ??= [...page.blocks];
      blocks[i] = b;
    } else if (b.height >= lowest) fresh.push(b); // older than the page: belongs to a later page
  }
  return { updated: blocks ? { ...page, blocks } : page, fresh };
}

/**
 * Insert new blocks into the first page, keep its `heights` newest heights (whole heights, so
 * fork siblings never straddle pages) and move the cursor to the lowest height kept.
 */
export function insertIntoFirstPage(page: BlocksResponse, fresh: BlockSummary[], heights: number): BlocksResponse {
  if (fresh.length === 0) return page;
  const byHash = new Map(page.blocks.map((b) => [b.hash, b]));
  for (const b of fresh) byHash.set(b.hash, b);
  const all = [...byHash.values()].sort((a, b) => b.height - a.height || a.hash.localeCompare(b.hash));
  const distinct = [...new Set(all.map((b) => b.height))];
  if (distinct.length <= heights) return { ...page, blocks: all };
  const floor = distinct[heights - 1];
  const kept = all.filter((b) => b.height >= floor);
  return { blocks: kept, nextBefore: floor > 0 ? floor : null };
}
