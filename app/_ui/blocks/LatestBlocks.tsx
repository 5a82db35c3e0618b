'use client';
// The latest blocks across every fork, newest first, updating live.
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { BlockTable } from './BlockTable.tsx';
import { useLatestBlocks } from './useLatestBlocks.ts';

export function LatestBlocks({ limit = 20, nodes }: { limit?: number; nodes: NodeStatus[] }) {
  const { data, error, isPending } = useLatestBlocks(limit);
  if (isPending) return <Loading what="blocks" />;
  if (error) return <ErrorState error={error} what="blocks" />;
  if (data.blocks.length === 0) return <Empty>No blocks indexed yet. The nodes produce one every block time; they appear here as they arrive.</Empty>;
  return <BlockTable blocks={data.blocks} nodes={nodes} testId="latest-blocks" />;
}
