'use client';
// Every node's status and the network verdict: HTTP first, then live pushes into the cache.
// Heights and head hashes move on each `heads:new` push; the rest comes with `nodes:update`.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HealthResponse, NetworkConsensus, NodeStatus, NodesResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys } from '../../_lib/api.ts';
import type { HeadChange } from '../../../wire/live-events.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { applyHeadChanges } from './headChanges.ts';

export function useNodes() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.nodes(), queryFn: api.nodes, refetchInterval: 30_000 });
  const onNodes = useCallback((nodes: NodeStatus[]) => client.setQueryData<NodesResponse>(queryKeys.nodes(), { nodes }), [client]);
  useLiveEvent('network', 'nodes:update', onNodes);
  const onHeads = useCallback(
    (heads: HeadChange[]) => client.setQueryData<NodesResponse>(queryKeys.nodes(), (old) => (old ? { nodes: applyHeadChanges(old.nodes, heads) } : old)),
    [client],
  );
  useLiveEvent('heads', 'heads:new', onHeads);
  return query;
}

export function useHealth() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.health(), queryFn: api.health, refetchInterval: 30_000 });
  const onConsensus = useCallback((network: NetworkConsensus) => client.setQueryData<HealthResponse>(queryKeys.health(), (old) => (old ? { ...old, network } : old)), [client]);
  useLiveEvent('network', 'network:consensus', onConsensus);
  return query;
}
