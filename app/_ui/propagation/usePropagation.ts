'use client';
// GET /api/propagation for the overview panel: read through the route table (no entry in the
// shared api registry needed) and refreshed every few seconds, keeping the last answer on screen.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchRoute, retryUnlessClientError, routeKey } from '../../_lib/api.ts';

export function usePropagation(blocks: number) {
  return useQuery({
    queryKey: routeKey('propagation', { query: { blocks } }),
    queryFn: () => fetchRoute('propagation', { query: { blocks } }),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
    retry: retryUnlessClientError,
  });
}
