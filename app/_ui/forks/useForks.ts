'use client';
// The block tree for the fork view. In the past (`at` given) it is one read. Live (no `at`)
// it is read once and then kept current in the same cache entry from pushes: `blocks:new`
// adds blocks and holders, `nodes:update` moves tips, and a reorg in the event feed triggers
// a re-read (reorg records and holders below the window are the server's to compute).
import { useCallback, useEffect, useRef } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BlockSummary, ForksResponse, NetworkEvent, NodeStatus, NodesResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError, type ForksParams } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { applyBlocks, applyNodes, type LiveRange } from './forkLive.ts';

/**
 * A reorg or convergence line can reach the browser before the indexer has written the head
 * events behind it (it writes every 200 ms), and they come in bursts (one per node): re-read
 * once, a moment after the first of a burst.
 */
const REREAD_AFTER_REORG_MS = 1_000;

export function useForks(params: ForksParams) {
  const client = useQueryClient();
  const { from, to, at } = params;
  const live = at === undefined;
  const range: LiveRange = to !== undefined ? 'fixed' : from !== undefined ? 'grow' : 'slide';
  const query = useQuery({
    queryKey: queryKeys.forks({ from, to, at }),
    queryFn: () => api.forks({ from, to, at }),
    retry: retryUnlessClientError,
    // Moving the time slider keeps the last tree on screen until the next one arrives.
    placeholderData: keepPreviousData,
    staleTime: live ? 30_000 : Infinity,
    refetchInterval: live ? 30_000 : false,
    refetchOnWindowFocus: live,
  });

  const onBlocks = useCallback(
    (blocks: BlockSummary[]) => {
      if (!live) return;
      const nodes = client.getQueryData<NodesResponse>(queryKeys.nodes())?.nodes ?? [];
      client.setQueryData<ForksResponse>(queryKeys.forks({ from, to, at }), (old) => (old ? applyNodes(applyBlocks(old, blocks, range), nodes) : old));
    },
    [client, live, range, from, to, at],
  );
  const onNodes = useCallback(
    (nodes: NodeStatus[]) => {
      if (!live) return;
      client.setQueryData<ForksResponse>(queryKeys.forks({ from, to, at }), (old) => (old ? applyNodes(old, nodes) : old));
    },
    [client, live, from, to, at],
  );
  const reread = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (reread.current) clearTimeout(reread.current);
      reread.current = null;
    },
    [from, to, at],
  );
  const onEvents = useCallback(
    (events: NetworkEvent[]) => {
      if (!live || reread.current || !events.some((e) => e.kind === 'reorg' || e.kind === 'convergence')) return;
      reread.current = setTimeout(() => {
        reread.current = null;
        void client.invalidateQueries({ queryKey: queryKeys.forks({ from, to, at }), exact: true });
      }, REREAD_AFTER_REORG_MS);
    },
    [client, live, from, to, at],
  );
  useLiveEvent('blocks', 'blocks:new', onBlocks);
  useLiveEvent('network', 'nodes:update', onNodes);
  useLiveEvent('events', 'events:new', onEvents);
  return query;
}
