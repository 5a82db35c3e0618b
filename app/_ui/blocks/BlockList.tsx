'use client';
// /blocks: every indexed block, newest first, across forks, a page at a time (cursor `before`).
import Link from 'next/link';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNodes } from '../nodes/useNodes.ts';
import { BlockTable } from './BlockTable.tsx';
import { useBlockPage } from './useBlockPage.ts';

const PAGE = 25;

function Pager({ newestHeight, nextBefore, firstPage }: { newestHeight: number | null; nextBefore: number | null; firstPage: boolean }) {
  return (
    <nav className="pager" aria-label="Block pages">
      {firstPage ? (
        <span className="muted" aria-current="page">
          « Newest
        </span>
      ) : (
        <Link href="/blocks">« Newest</Link>
      )}
      {!firstPage && newestHeight !== null && <Link href={`/blocks?before=${newestHeight + PAGE + 1}`}>‹ Newer</Link>}
      {nextBefore !== null ? (
        <Link href={`/blocks?before=${nextBefore}`} data-testid="older-blocks">
          Older ›
        </Link>
      ) : (
        <span className="muted">down to genesis</span>
      )}
    </nav>
  );
}

export function BlockList({ before }: { before: number | undefined }) {
  const firstPage = before === undefined;
  const { query, unseenCount, showNew } = useBlockPage(PAGE, before);
  const nodes = useNodes().data?.nodes ?? [];
  const { data, error, isPending } = query;
  let body;
  if (isPending) body = <Loading what="blocks" />;
  else if (error || !data) body = <ErrorState error={error} what="blocks" />;
  else if (data.blocks.length === 0)
    body = <Empty>{firstPage ? 'No blocks indexed yet. The nodes produce one every block time; they appear here as they arrive.' : 'No blocks below this height.'}</Empty>;
  else
    body = (
      <>
        <Pager newestHeight={data.blocks[0].height} nextBefore={data.nextBefore} firstPage={firstPage} />
        <BlockTable blocks={data.blocks} nodes={nodes} />
        <Pager newestHeight={data.blocks[0].height} nextBefore={data.nextBefore} firstPage={firstPage} />
      </>
    );
  return (
    <>
      <h1>Blocks{firstPage ? '' : ` below height ${before}`}</h1>
      <p className="muted lede">
        Every block any node has reported, newest first. A block that no node&apos;s chain holds any more is <span className="badge badge-warn">orphaned</span>; a height with more
        than one block is marked <span className="badge badge-warn">fork</span>.
      </p>
      {unseenCount > 0 && (
        <div className="new-items">
          {firstPage ? (
            <button type="button" className="button button-primary" onClick={() => void showNew()} data-testid="show-new-blocks">
              {unseenCount} new block{unseenCount === 1 ? '' : 's'} — show
            </button>
          ) : (
            <Link href="/blocks" className="button button-primary" data-testid="show-new-blocks">
              {unseenCount} new block{unseenCount === 1 ? '' : 's'} — show
            </Link>
          )}
        </div>
      )}
      {body}
    </>
  );
}
