'use client';
// The account page's two reads: the account (every node's balance at its head) and one page of
// its transactions, both re-read every 2 s as blocks arrive, so the list keeps pace with the
// balances; an older page, reached by cursor, does not change and is read once.
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
