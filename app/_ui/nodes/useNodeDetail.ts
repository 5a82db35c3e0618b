'use client';
// One node's page data: read over HTTP (histories refreshed every few seconds), with the
// node's status and links overlaid from the same live pushes the other pages use.
// The overlay is kept beside the query, not written into its cache entry: every write into the
// entry restarts React Query's refetch timer, and status pushes arrive several times a second,
// so the histories would never be read again (a fresh node's page kept "No health samples yet").
import { useCallback, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { NodeStatus, PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

interface LiveOverlay {
  id: string;
  node?: NodeStatus;
  peers?: PeerLinkInfo[];
}

export function useNodeDetail(id: string) {
  const query = useQuery({ queryKey: queryKeys.nodeDetail(id), queryFn: () => api.nodeDetail(id), retry: retryUnlessClientError, refetchInterval: 10_000 });
  const [live, setLive] = useState<LiveOverlay>({ id });
  const onNodes = useCallback(
    (nodes: NodeStatus[]) => {
      const mine = nodes.find((n) => n.id === id);
      if (mine) setLive((old) => ({ ...(old.id === id ? old : { id }), node: mine }));
    },
    [id],
  );
  const onPeers = useCallback((links: PeerLinkInfo[]) => setLive((old) => ({ ...(old.id === id ? old : { id }), peers: links.filter((l) => l.nodeId === id) })), [id]);
  useLiveEvent('network', 'nodes:update', onNodes);
  useLiveEvent('peers', 'peers:update', onPeers);

  const data = useMemo(() => {
    if (!query.data) return query.data;
    const overlay = live.id === id ? live : { id };
    return { ...query.data, node: overlay.node ?? query.data.node, peers: overlay.peers ?? query.data.peers };
  }, [query.data, live, id]);
  return { ...query, data };
}
