'use client';
// Every node's status and the network verdict of the same moment: HTTP first, then each
// `nodes:update` push replaces the whole snapshot (rows, lags and verdict together; see
// nodesSnapshot.ts for why `heads:new` no longer moves rows on its own).
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HealthResponse, NetworkConsensus, NodeStatus, NodesResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { newerSnapshot, snapshotOfPush } from './nodesSnapshot.ts';

export function useNodes() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.nodes(),
    // A refetch that started before a push may land after it: keep whichever snapshot is newer.
    queryFn: async () => newerSnapshot(client.getQueryData<NodesResponse>(queryKeys.nodes()), await api.nodes()),
    refetchInterval: 30_000,
  });
  const onNodes = useCallback(
    (nodes: NodeStatus[], verdict: Omit<NodesResponse, 'nodes'>) =>
      client.setQueryData<NodesResponse>(queryKeys.nodes(), (held) => newerSnapshot(held, snapshotOfPush(nodes, verdict))),
    [client],
  );
  useLiveEvent('network', 'nodes:update', onNodes);
  return query;
}

/** The server's health (database, replica) and its verdict. A page showing node rows takes the verdict from useNodes() instead, so both are one moment's. */
export function useHealth() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.health(), queryFn: api.health, refetchInterval: 30_000 });
  const onConsensus = useCallback((network: NetworkConsensus) => client.setQueryData<HealthResponse>(queryKeys.health(), (old) => (old ? { ...old, network } : old)), [client]);
  useLiveEvent('network', 'network:consensus', onConsensus);
  return query;
}
