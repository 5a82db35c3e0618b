'use client';
// The account page's two reads: the account (every node's balance at its head, re-read every
// 2 s as blocks arrive) and one page of its transactions (the newest page follows new blocks at the same pace, so the two agree;
// an older page, reached by cursor, does not change).
import { useQuery } from '@tanstack/react-query';
import { api, queryKeys, retryUnlessClientError } from '../../_lib/api.ts';

export function useAccount(address: string) {
  return useQuery({ queryKey: queryKeys.account(address), queryFn: () => api.account(address), retry: retryUnlessClientError, refetchInterval: 2_000 });
}

export function useAccountTxs(address: string, cursor: string | undefined) {
  return useQuery({
    queryKey: queryKeys.accountTxs(address, cursor),
    queryFn: () => api.accountTxs(address, cursor),
    retry: retryUnlessClientError,
    refetchInterval: cursor ? false : 2_000,
  });
}
