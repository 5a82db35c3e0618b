'use client';
// The network overview: the consensus verdict, every node, and the latest blocks, all live.
import { ConsensusBanner } from './ConsensusBanner.tsx';
import { NodeTable } from '../nodes/NodeTable.tsx';
import { LatestBlocks } from '../blocks/LatestBlocks.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useHealth, useNodes } from '../nodes/useNodes.ts';

export function Overview() {
  const nodesQuery = useNodes();
  const health = useHealth();
  const nodes = nodesQuery.data?.nodes ?? [];
  return (
    <>
      <ConsensusBanner consensus={health.data?.network} nodes={nodes} />
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        {nodesQuery.isPending ? <Loading what="nodes" /> : nodesQuery.error ? <ErrorState error={nodesQuery.error} what="nodes" /> : <NodeTable nodes={nodes} />}
      </section>
      <section aria-labelledby="blocks-title">
        <h2 id="blocks-title">Latest blocks</h2>
        <LatestBlocks nodes={nodes} />
      </section>
    </>
  );
}
