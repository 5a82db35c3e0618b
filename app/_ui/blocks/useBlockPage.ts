'use client';
// One page of /blocks. On the first page, while the reader is at the top, new blocks from
// `blocks:new` go straight into the cached page; when they have scrolled down or paged away,
// or a burst is too big, only their number is kept and a "N new blocks — show" button offered,
// so the rows never shift under the reader. Rows already shown are updated in place.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { BlockSummary, BlocksResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { insertIntoFirstPage, splitPush } from './blockPage.ts';

/** More new blocks than this at once are announced instead of inserted. */
const MAX_LIVE_INSERT = 20;
/** Scrolled further than this (px) counts as reading further down. */
const TOP_SLACK = 120;

export function useBlockPage(limit: number, before: number | undefined) {
  const client = useQueryClient();
  const firstPage = before === undefined;
  const query = useQuery({
    queryKey: queryKeys.blocksPage(limit, before),
    queryFn: () => api.blocksPage(limit, before),
    retry: retryUnlessClientError,
    // Older pages do not change often; the first page is kept current by pushes.
    staleTime: firstPage ? Infinity : 30_000,
  });
  // Hashes of new blocks held back from the page; the count is state so the button renders.
  const unseen = useRef(new Set<string>());
  const [unseenCount, setUnseenCount] = useState(0);
  const atTop = useRef(true);

  useEffect(() => {
    const onScroll = () => {
      atTop.current = window.scrollY <= TOP_SLACK;
    };
    onScroll();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  // A different page means a different reading position: start counting afresh.
  useEffect(() => {
    unseen.current = new Set();
    setUnseenCount(0);
  }, [before, limit]);

  const onBlocks = useCallback(
    (incoming: BlockSummary[]) => {
      const key = queryKeys.blocksPage(limit, before);
      const page = client.getQueryData<BlocksResponse>(key);
      if (!page) return;
      const { updated, fresh } = splitPush(page, incoming);
      const newer = firstPage ? fresh : incoming.filter((b) => page.blocks.length === 0 || b.height > page.blocks[0].height);
      const held = unseen.current;
      if (firstPage && atTop.current && held.size === 0 && newer.length <= MAX_LIVE_INSERT) {
        client.setQueryData<BlocksResponse>(key, insertIntoFirstPage(updated, newer, limit));
        return;
      }
      if (updated !== page) client.setQueryData<BlocksResponse>(key, updated);
      for (const b of newer) held.add(b.hash);
      setUnseenCount(held.size);
    },
    [client, limit, before, firstPage],
  );
  useLiveEvent('blocks', 'blocks:new', onBlocks);

  /** Show the newest blocks (first page only; other pages link to it). */
  const showNew = useCallback(async () => {
    unseen.current = new Set();
    setUnseenCount(0);
    window.scrollTo({ top: 0 });
    await client.refetchQueries({ queryKey: queryKeys.blocksPage(limit, undefined), exact: true });
  }, [client, limit]);

  return { query, unseenCount, showNew };
}
