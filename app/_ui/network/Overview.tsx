'use client';
// The network overview: the consensus verdict, active alerts, every node, height over time,
// the live event feed and the latest blocks.
import Link from 'next/link';
import { ConsensusBanner } from './ConsensusBanner.tsx';
import { ActiveAlerts } from './ActiveAlerts.tsx';
import { HeightChart } from './HeightChart.tsx';
import { EventFeed } from './EventFeed.tsx';
import { NodeTable } from '../nodes/NodeTable.tsx';
import { LatestBlocks } from '../blocks/LatestBlocks.tsx';
import { PropagationPanel } from '../propagation/PropagationPanel.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNodes } from '../nodes/useNodes.ts';

export function Overview() {
  const nodesQuery = useNodes();
  const nodes = nodesQuery.data?.nodes ?? [];
  return (
    <>
      <h1 className="visually-hidden">Network overview</h1>
      {/* Verdict and rows of one snapshot: the banner's height is the rows'. */}
      <ConsensusBanner consensus={nodesQuery.data?.network} nodes={nodes} />
      <ActiveAlerts nodes={nodes} />
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        {nodesQuery.isPending ? (
          <Loading what="nodes" />
        ) : nodesQuery.error && nodes.length === 0 ? (
          <ErrorState error={nodesQuery.error} what="nodes" />
        ) : (
          <NodeTable nodes={nodes} seq={nodesQuery.data?.seq} />
        )}
      </section>
      <div className="split">
        <section aria-labelledby="heights-title">
          <h2 id="heights-title">Block height</h2>
          <HeightChart nodes={nodes} />
        </section>
        <section aria-labelledby="feed-title">
          <h2 id="feed-title">Live events</h2>
          <EventFeed nodes={nodes} />
        </section>
      </div>
      <PropagationPanel blocks={100} />
      <section aria-labelledby="blocks-title">
        <h2 id="blocks-title" className="with-link">
          Latest blocks{' '}
          <Link href="/blocks" className="small">
            all blocks →
          </Link>
        </h2>
        <LatestBlocks nodes={nodes} limit={10} />
      </section>
    </>
  );
}
