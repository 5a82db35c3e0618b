'use client';
// Chaos history and active faults: GET /api/chaos once, then every 'chaos:update' push written
// into the same cache entry. And whether this browser holds a control session.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChaosRecord, ChaosResponse } from '../../../wire/chaos-api.ts';
import { chaosApi, chaosKeys, retryUnlessClientError } from '../../_lib/api.ts';
import type { ScenarioRunRecord, ScenariosResponse } from '../../../wire/scenario.ts';
import { useLiveEvent, useReconnected } from '../../_lib/live.ts';
import { applyLiveUpdate } from './chaosModel.ts';
import { withRun } from './scenarioModel.ts';

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

/** Example scenarios and recent runs: GET /api/scenarios once, then 'scenarios:update' pushes into the same entry. */
export function useScenarios() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: chaosKeys.scenarios(), queryFn: chaosApi.scenarios, refetchInterval: 60_000 });
  const onUpdate = useCallback(
    (run: ScenarioRunRecord) => {
      client.setQueryData<ScenariosResponse>(chaosKeys.scenarios(), (old) => withRun(old, run));
    },
    [client],
  );
  useLiveEvent('chaos', 'scenarios:update', onUpdate);
  // Pushes sent while the connection was down are lost: read the list again.
  const onReconnect = useCallback(() => void client.invalidateQueries({ queryKey: chaosKeys.scenarios() }), [client]);
  useReconnected(onReconnect);
  return query;
}
