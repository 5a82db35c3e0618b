'use client';
// The consensus page's data: GET /api/consensus, re-read on every 'consensus:changed' notice
// (the server sends at most 4 a second) and every second while the live connection is down.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveConnected, useLiveEvent } from '../../_lib/live.ts';

export function useConsensus() {
  const client = useQueryClient();
  const connected = useLiveConnected();
  const query = useQuery({
    queryKey: queryKeys.consensus(),
    queryFn: api.consensus,
    retry: retryUnlessClientError,
    // Live notices drive the refreshes; polling covers a lost connection and a quiet PoA network.
    refetchInterval: connected ? 5_000 : 1_000,
  });
  const onChanged = useCallback(() => void client.invalidateQueries({ queryKey: queryKeys.consensus() }), [client]);
  useLiveEvent('consensus', 'consensus:changed', onChanged);
  return query;
}
