'use client';
// GET /api/propagation for the overview panel: read through the route table (no entry in the
// shared api registry needed) and read again as blocks arrive (`blocks:new` pushes, at most
// every few seconds: a histogram over 100 blocks moves slowly), keeping the last answer on
// screen; nothing is read while the chain stands still.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchRoute, retryUnlessClientError, routeKey } from '../../_lib/api.ts';
import { useLiveEvent, useReconnected } from '../../_lib/live.ts';
import { useThrottled } from '../common/useThrottled.ts';

const REFRESH_INTERVAL_MS = 5_000;

const propagationKey = (blocks: number) => routeKey('propagation', { query: { blocks } });

export function usePropagation(blocks: number) {
  const client = useQueryClient();
  const refresh = useCallback(() => void client.invalidateQueries({ queryKey: propagationKey(blocks), exact: true }), [client, blocks]);
  useLiveEvent('blocks', 'blocks:new', useThrottled(refresh, REFRESH_INTERVAL_MS));
  useReconnected(refresh);
  return useQuery({
    queryKey: propagationKey(blocks),
    queryFn: () => fetchRoute('propagation', { query: { blocks } }),
    placeholderData: keepPreviousData,
    retry: retryUnlessClientError,
  });
}
