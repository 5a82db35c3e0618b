'use client';
// Alerts that are raised and not yet cleared: HTTP once, then `alerts:update` replaces them.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertRecord, AlertsResponse } from '../../../wire/explorer-api.ts';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent } from '../../_lib/live.ts';

export function useActiveAlerts() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.activeAlerts(), queryFn: api.activeAlerts, retry: retryUnlessClientError, refetchInterval: 60_000 });
  const onAlerts = useCallback((alerts: AlertRecord[]) => client.setQueryData<AlertsResponse>(queryKeys.activeAlerts(), { alerts }), [client]);
  useLiveEvent('network', 'alerts:update', onAlerts);
  return query;
}
