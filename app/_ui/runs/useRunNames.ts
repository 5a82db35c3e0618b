'use client';
// Node id → name for a run's pages (see runNodeNames): its own schedule first, then this
// instance's nodes for a run recorded here (an imported run's ids may not be ours).
import { useMemo } from 'react';
import type { RunDetail } from '../../../wire/run-api.ts';
import type { Names } from '../chaos/chaosModel.ts';
import { useNodes } from '../nodes/useNodes.ts';
import { runNodeNames } from './runModel.ts';

export function useRunNames(run: RunDetail | undefined): Names {
  const nodes = useNodes();
  const list = nodes.data?.nodes;
  return useMemo(() => {
    if (!run) return new Map();
    const known = run.importedAt === null ? new Map((list ?? []).map((n) => [n.id, n.name])) : new Map<string, string>();
    return runNodeNames(run, known);
  }, [run, list]);
}
