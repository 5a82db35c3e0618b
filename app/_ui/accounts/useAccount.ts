'use client';
// The account page's two reads: the account (every node's balance at its head) and one page of
// its transactions. Both are read again when heads move (`heads:new` pushes, at most once a
// second), so balances and the list keep pace with the chain and nothing is read while it
// stands still (a paused or halted network); an older page, reached by cursor, does not
// change. A reconnect reads both again, as pushes may have been missed meanwhile.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';
import { useLiveEvent, useReconnected } from '../../_lib/live.ts';
import { useThrottled } from '../common/useThrottled.ts';

/** Head changes of every node reach the page as one refresh a second at most. */
const REFRESH_INTERVAL_MS = 1_000;

export function useAccount(address: string) {
  return useQuery({ queryKey: queryKeys.account(address), queryFn: () => api.account(address), retry: retryUnlessClientError });
}

export function useAccountTxs(address: string, cursor: string | undefined) {
  return useQuery({ queryKey: queryKeys.accountTxs(address, cursor), queryFn: () => api.accountTxs(address, cursor), retry: retryUnlessClientError });
}

/** Keeps the account and its newest transactions current while the page is open (once per page). */
export function useAccountLive(address: string): void {
  const client = useQueryClient();
  const refresh = useCallback(() => {
    void client.invalidateQueries({ queryKey: queryKeys.account(address), exact: true });
    void client.invalidateQueries({ queryKey: queryKeys.accountTxs(address, undefined), exact: true });
  }, [client, address]);
  const onHeads = useThrottled(refresh, REFRESH_INTERVAL_MS);
  useLiveEvent('heads', 'heads:new', onHeads);
  useReconnected(refresh);
}
