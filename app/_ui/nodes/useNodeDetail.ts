'use client';
// One node's page data: read over HTTP (histories refreshed every few seconds), with the
// node's status and links patched in from the same live pushes the other pages use.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { NodeDetailResponse, NodeStatus, PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export function useNodeDetail(id: string) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.nodeDetail(id), queryFn: () => api.nodeDetail(id), retry: retryUnlessClientError, refetchInterval: 10_000 });
  const onNodes = useCallback(
    (nodes: NodeStatus[]) => {
      const mine = nodes.find((n) => n.id === id);
      if (!mine) return;
      client.setQueryData<NodeDetailResponse>(queryKeys.nodeDetail(id), (old) => (old ? { ...old, node: mine } : old));
    },
    [client, id],
  );
  const onPeers = useCallback(
    (links: PeerLinkInfo[]) => client.setQueryData<NodeDetailResponse>(queryKeys.nodeDetail(id), (old) => (old ? { ...old, peers: links.filter((l) => l.nodeId === id) } : old)),
    [client, id],
  );
  useLiveEvent('network', 'nodes:update', onNodes);
  useLiveEvent('peers', 'peers:update', onPeers);
  return query;
}
