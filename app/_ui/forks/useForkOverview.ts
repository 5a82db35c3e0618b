'use client';
// Where the forks are over every indexed height (GET /api/forks/overview), for the overview
// strip and the fork buttons. Cheap and slow-moving: re-read every 30 s, not on every block.
import { useQuery } from '@tanstack/react-query';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';

export function useForkOverview() {
  return useQuery({
    queryKey: queryKeys.forkOverview(),
    queryFn: () => api.forkOverview(),
    retry: retryUnlessClientError,
    staleTime: 30_000,
    refetchInterval: 30_000,
  });
}
