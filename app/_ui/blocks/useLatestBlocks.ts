'use client';
// Latest blocks: read once over HTTP, then kept current by `blocks:new` pushes written into
// the same React Query cache entry (one source of truth), deduplicated by hash and capped.
import { useCallback, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { BlockSummary, BlocksResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export function mergeBlocks(current: BlockSummary[], incoming: BlockSummary[], cap: number): BlockSummary[] {
  const byHash = new Map(current.map((b) => [b.hash, b]));
  for (const b of incoming) byHash.set(b.hash, b); // a newer summary (e.g. more holders) wins
  return [...byHash.values()].sort((a, b) => b.height - a.height || a.hash.localeCompare(b.hash)).slice(0, cap);
}

export function useLatestBlocks(limit: number) {
  const client = useQueryClient();
  const key = queryKeys.latestBlocks(limit);
  // The newest pushed blocks, kept apart from the cache: a push that lands while the HTTP read
  // is in flight (no cache entry yet, or a refetch about to replace it with an older answer)
  // would otherwise be lost, and the list would skip heights until the next read.
  const pushed = useRef<BlockSummary[]>([]);
  const query = useQuery({
    queryKey: key,
    queryFn: async () => {
      const answer = await api.latestBlocks(limit);
      return { ...answer, blocks: mergeBlocks(pushed.current, answer.blocks, limit) }; // the read is fresher for what it holds
    },
  });
  const onBlocks = useCallback(
    (blocks: BlockSummary[]) => {
      pushed.current = mergeBlocks(pushed.current, blocks, limit);
      client.setQueryData<BlocksResponse>(key, (old) => (old ? { ...old, blocks: mergeBlocks(old.blocks, blocks, limit) } : old));
    },
    // key is rebuilt each render from `limit`; limit is what identifies it.
    [client, limit],
  );
  useLiveEvent('blocks', 'blocks:new', onBlocks);
  return query;
}
