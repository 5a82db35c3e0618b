'use client';
// Every link as the nodes report it: HTTP once, then `peers:update` replaces the list in the
// same cache entry (the server polls the nodes and pushes the whole set).
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PeerLinkInfo, PeersResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export function usePeers() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.peers(), queryFn: api.peers, retry: retryUnlessClientError, refetchInterval: 30_000 });
  const onPeers = useCallback((links: PeerLinkInfo[]) => client.setQueryData<PeersResponse>(queryKeys.peers(), { links, polledAt: Date.now() }), [client]);
  useLiveEvent('peers', 'peers:update', onPeers);
  return query;
}
