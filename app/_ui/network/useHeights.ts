'use client';
// Height history of every node for one time window: read once (GET /api/nodes/heights), then
// extended from each `nodes:update` push in the same cache entry (and, on BFT, the finalized
// line from each `network:consensus` push). If the history endpoint fails the chart still
// fills up from live pushes. The long windows are read again now and then, so the server
// folds what the pushes added into its buckets instead of the list growing for ever.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { HEIGHT_WINDOW_MS, type HeightWindow, type HeightsResponse, type NetworkConsensus, type NodeStatus } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { extendFinalized, extendHeights } from './heightSeries.ts';

/** How far back pushes keep points: the window, or everything for 'all'. */
function keepMs(win: HeightWindow): number {
  return HEIGHT_WINDOW_MS[win] ?? Infinity;
}

export function useHeights(win: HeightWindow) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.nodeHeights(win),
    queryFn: () => api.nodeHeights(win),
    retry: retryUnlessClientError,
    // The cache is kept current by pushes; a refetch would only re-send what we have.
    staleTime: Infinity,
    refetchInterval: win === '5m' ? false : 60_000,
    refetchOnWindowFocus: false,
  });
  const onNodes = useCallback(
    (nodes: NodeStatus[]) => {
      const now = Date.now();
      client.setQueryData<HeightsResponse>(queryKeys.nodeHeights(win), (old) => extendHeights(old ?? { since: now, series: [] }, nodes, now, keepMs(win)));
    },
    [client, win],
  );
  useLiveEvent('network', 'nodes:update', onNodes);
  // BFT: the finalized line grows from the verdict's finalizedHeight (absent on PoA: no line).
  const onConsensus = useCallback(
    (c: NetworkConsensus) => {
      const now = Date.now();
      client.setQueryData<HeightsResponse>(queryKeys.nodeHeights(win), (old) => (old ? extendFinalized(old, c.finalizedHeight, now, keepMs(win)) : old));
    },
    [client, win],
  );
  useLiveEvent('network', 'network:consensus', onConsensus);
  return query;
}
