'use client';
// The run pages' requests and cache entries, built from the route table like every other page:
// the runs list (optionally one kind), one run whole, and importing a run file. A 'runs:update'
// push (a run opened or closed on this instance) reads the lists and that run again; a run that
// is still going is also read again every few seconds, in case a push was missed.
import { useCallback } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RunSummary } from '../../../wire/run-api.ts';
import { useLiveEvent, useReconnected } from '../../_lib/live.ts';
import { MAX_RUN_FILE_BYTES, type ImportRunResponse, type RunKind } from '../../../wire/run-api.ts';
import { routeUrl } from '../../../wire/http/route.ts';
import { serverRoutes } from '../../../wire/server-routes.ts';
import { fetchRoute, retryUnlessClientError, routeKey } from '../../_lib/api.ts';

export const runKeys = {
  list: (kind: RunKind | undefined) => routeKey('runs', { query: { kind } }),
  run: (id: number) => routeKey('run', { params: { id: String(id) } }),
};

const RUNNING_POLL_MS = 5_000;

/** Every runs list (any kind, any limit) starts its cache key with the route id. */
const ALL_LISTS = { queryKey: ['runs'] };

/** Reads the lists (and, when open, the pushed run) again on a 'runs:update' push or after a reconnect. */
function useRunPushes(onRun?: (run: RunSummary) => void) {
  const client = useQueryClient();
  const onUpdate = useCallback(
    (run: RunSummary) => {
      void client.invalidateQueries(ALL_LISTS);
      onRun?.(run);
    },
    [client, onRun],
  );
  useLiveEvent('runs', 'runs:update', onUpdate);
  const onReconnect = useCallback(() => void client.invalidateQueries(ALL_LISTS), [client]);
  useReconnected(onReconnect);
}

export function useRuns(kind: RunKind | undefined) {
  useRunPushes();
  return useQuery({
    queryKey: runKeys.list(kind),
    queryFn: () => fetchRoute('runs', { query: { kind } }),
    retry: retryUnlessClientError,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === 'running') ? RUNNING_POLL_MS : 60_000),
  });
}

/** One run whole; `enabled: false` while the page has no valid id to ask for. */
export function useRun(id: number, enabled = true) {
  const client = useQueryClient();
  const onRun = useCallback((run: RunSummary) => void (run.id === id && client.invalidateQueries({ queryKey: runKeys.run(id) })), [client, id]);
  useRunPushes(onRun);
  return useQuery({
    enabled,
    queryKey: runKeys.run(id),
    queryFn: () => fetchRoute('run', { params: { id: String(id) } }),
    retry: retryUnlessClientError,
    refetchInterval: (q) => (q.state.data?.run.status === 'running' ? RUNNING_POLL_MS : false),
  });
}

/** GET /api/runs/{id}/export: the link the page's Export button downloads. */
export function exportUrl(id: number): string {
  return routeUrl(serverRoutes.exportRun, { params: { id: String(id) } });
}

export class RunFileError extends Error {
  constructor(
    readonly code: 'RUN_FILE_TOO_LARGE' | 'RUN_FILE_NOT_JSON',
    message: string,
  ) {
    super(message);
  }
}

/** Reads a chosen file as JSON, refusing what the server would refuse anyway before sending it. */
export async function readRunFile(file: File): Promise<unknown> {
  if (file.size > MAX_RUN_FILE_BYTES)
    throw new RunFileError('RUN_FILE_TOO_LARGE', `${file.name} is ${Math.round(file.size / 1e6)} MB; a run file may be at most ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB.`);
  const text = await file.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RunFileError('RUN_FILE_NOT_JSON', `${file.name} is not a run file (not JSON: ${err instanceof Error ? err.message : String(err)}).`);
  }
}

/** POST /api/runs/import with the chosen file (the server checks it against RunFileSchema); refreshes the lists. */
export function useImportRun() {
  const client = useQueryClient();
  return useMutation<ImportRunResponse, Error, File>({
    mutationFn: async (file) => {
      const body = await readRunFile(file);
      // The server validates the body (400 RUN_FILE_INVALID with the reason); the client only parsed it.
      return fetchRoute('importRun', { body: body as never });
    },
    onSuccess: () => void client.invalidateQueries(ALL_LISTS),
  });
}
