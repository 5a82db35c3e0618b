'use client';
// Height history of every node: read once (GET /api/nodes/heights), then extended from each
// `nodes:update` push in the same cache entry (and, on BFT, the finalized line from each
// `network:consensus` push). If the history endpoint fails the chart still
// fills up from live pushes.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HeightsResponse, NetworkConsensus, NodeStatus } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { extendFinalized, extendHeights } from './heightSeries.ts';

export function useHeights(minutes: number) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.nodeHeights(minutes),
    queryFn: () => api.nodeHeights(minutes),
    retry: retryUnlessClientError,
    // The cache is kept current by pushes; a refetch would only re-send what we have.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const onNodes = useCallback(
    (nodes: NodeStatus[]) => {
      const now = Date.now();
      client.setQueryData<HeightsResponse>(queryKeys.nodeHeights(minutes), (old) => extendHeights(old ?? { since: now, series: [] }, nodes, now, minutes * 60_000));
    },
    [client, minutes],
  );
  useLiveEvent('network', 'nodes:update', onNodes);
  // BFT: the finalized line grows from the verdict's finalizedHeight (absent on PoA: no line).
  const onConsensus = useCallback(
    (c: NetworkConsensus) => {
      const now = Date.now();
      client.setQueryData<HeightsResponse>(queryKeys.nodeHeights(minutes), (old) => (old ? extendFinalized(old, c.finalizedHeight, now, minutes * 60_000) : old));
    },
    [client, minutes],
  );
  useLiveEvent('network', 'network:consensus', onConsensus);
  return query;
}
