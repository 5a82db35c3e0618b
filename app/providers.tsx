'use client';
// Client-side providers for every page: one React Query cache shared by reads and live pushes.
import { useCallback, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useReconnected } from './_lib/live.ts';

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true, retry: 2 } },
      }),
  );
  // Pushes missed while the live connection was down are not replayed: re-read what is shown.
  const refresh = useCallback(() => void client.invalidateQueries(), [client]);
  useReconnected(refresh);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
