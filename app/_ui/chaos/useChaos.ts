'use client';
// Chaos history and active faults: GET /api/chaos once, then every 'chaos:update' push written
// into the same cache entry. And whether this browser holds a control session.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChaosRecord, ChaosResponse } from '../../../wire/chaos-api.ts';
import { retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';
import { chaosApi, chaosKeys } from './chaosApi.ts';
import { applyLiveUpdate } from './chaosModel.ts';

export function useChaos() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: chaosKeys.actions(), queryFn: chaosApi.list, refetchInterval: 30_000 });
  const onUpdate = useCallback(
    (update: { active: ChaosRecord[]; changed: ChaosRecord[] }) => {
      client.setQueryData<ChaosResponse>(chaosKeys.actions(), (old) => applyLiveUpdate(old, update));
    },
    [client],
  );
  useLiveEvent('chaos', 'chaos:update', onUpdate);
  return query;
}

export function useSession() {
  return useQuery({ queryKey: chaosKeys.session(), queryFn: chaosApi.session, staleTime: 60_000, retry: retryUnlessClientError });
}
