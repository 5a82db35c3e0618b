'use client';
// The network's event feed. New heads outnumber everything else many times over, so the first
// read asks for two lists and merges them: the newest events that are not heads (reorgs, peers,
// alerts, chaos; `exclude=head`, so they reach far back) and the newest few events of any kind
// (the heads of the last seconds). Then `events:new` pushes are prepended in the same cache
// entry, deduplicated by id and capped per group.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { EventsResponse, NetworkEvent } from '../../../wire/explorer-api.ts';
import { mergeEvents } from './feedLines.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export interface FeedSize {
  /** Events other than new heads read at first. */
  others: number;
  /** Newest events of any kind read at first (mostly heads). */
  heads: number;
  /** Most head lines and most other lines kept once pushes arrive. */
  cap: number;
}

export function useEvents({ others, heads, cap }: FeedSize) {
  const client = useQueryClient();
  const key = queryKeys.eventFeed(others, heads);
  const query = useQuery({
    queryKey: key,
    queryFn: async (): Promise<EventsResponse> => {
      const [rare, latest] = await Promise.all([api.events(others, ['head']), api.events(heads)]);
      return { events: mergeEvents(rare.events, latest.events, cap) };
    },
    retry: retryUnlessClientError,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const onEvents = useCallback(
    (events: NetworkEvent[]) => client.setQueryData<EventsResponse>(queryKeys.eventFeed(others, heads), (old) => (old ? { events: mergeEvents(old.events, events, cap) } : old)),
    [client, others, heads, cap],
  );
  useLiveEvent('events', 'events:new', onEvents);
  return query;
}
