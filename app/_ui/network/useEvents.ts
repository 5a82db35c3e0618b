'use client';
// The network's event feed: the latest lines over HTTP, then `events:new` pushes prepended in
// the same cache entry, deduplicated by id and capped.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { EventsResponse, NetworkEvent } from '../../../wire/explorer-api.ts';
import { mergeEvents } from './feedLines.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export function useEvents(limit: number, cap = 200) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.events(limit),
    queryFn: () => api.events(limit),
    retry: retryUnlessClientError,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const onEvents = useCallback(
    (events: NetworkEvent[]) =>
      client.setQueryData<EventsResponse>(queryKeys.events(limit), (old) => (old ? { events: mergeEvents(old.events, events, cap) } : old)),
    [client, limit, cap],
  );
  useLiveEvent('events', 'events:new', onEvents);
  return query;
}
