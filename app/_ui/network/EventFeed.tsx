'use client';
// The live feed: new heads, reorgs, peers going up and down, alerts and chaos actions, newest
// first. New heads arrive several times a second, so runs of them fold into one line by
// default and the rarer events stay in sight; Pause freezes the lines while events keep
// arriving underneath (counted), Resume shows the present.
import { memo, useCallback, useMemo, useRef, useState, type Ref } from 'react';
import Link from 'next/link';
import type { NetworkEvent, NodeStatus } from '../../../wire/explorer-api.ts';
import { clockTime } from '../../_lib/format.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { LinkedNames } from '../common/LinkedNames.tsx';
import { eventsSince, groupHeads, type FeedLine } from './feedLines.ts';
import { usePause } from '../common/usePause.ts';
import { PauseControl } from '../common/PauseControl.tsx';
import { useEvents } from './useEvents.ts';

const SHOWN = 50;

const kindClass: Record<NetworkEvent['kind'], string> = {
  head: '',
  reorg: 'badge-warn',
  peer: '',
  alert: 'badge-bad',
  chaos: 'badge-warn',
  convergence: 'badge-ok',
};

function Line({ e, ids, badge, text }: { e: NetworkEvent; ids: Map<string, string>; badge: string; text: string }) {
  return (
    <li data-kind={e.kind} data-testid="feed-line">
      <time className="muted mono small" dateTime={new Date(e.at).toISOString()}>
        {clockTime(e.at)}
      </time>
      <span className={`badge ${kindClass[e.kind] ?? ''}`}>{badge}</span>
      <span>
        <LinkedNames text={text} ids={ids} />
      </span>
    </li>
  );
}

const FeedLines = memo(function FeedLines({ lines, ids, ref }: { lines: FeedLine[]; ids: Map<string, string>; ref?: Ref<HTMLOListElement> }) {
  return (
    <ol className="feed" data-testid="event-feed-lines" ref={ref}>
      {lines.map((l) =>
        l.kind === 'event' ? (
          <Line key={l.event.id} e={l.event} ids={ids} badge={l.event.kind} text={l.event.message} />
        ) : (
          <Line
            key={`heads-${l.oldest.id}`}
            e={l.newest}
            ids={ids}
            badge={l.count > 1 ? `head ×${l.count}` : 'head'}
            text={l.count > 1 ? `${l.count} new heads; latest: ${l.newest.message}` : l.newest.message}
          />
        ),
      )}
    </ol>
  );
});

export function EventFeed({ nodes }: { nodes: NodeStatus[] }) {
  // The rarer events are read apart from the heads (`exclude=head`), so a reorg or a peer
  // drop a few minutes back is in the feed however many blocks followed it.
  const { data, error, isPending } = useEvents({ others: 100, heads: 40, cap: 200 });
  const [fold, setFold] = useState(true);
  const ids = useMemo(() => new Map(nodes.map((n) => [n.name, n.id])), [nodes]);
  const live = data?.events;
  const { shown, paused, pause, resume } = usePause(live);
  const list = useRef<HTMLOListElement>(null);
  // Resume is "back to the present": the newest lines, at the top, even if the reader scrolled down.
  const resumeAtTop = useCallback(() => {
    resume();
    list.current?.scrollTo({ top: 0 });
  }, [resume]);
  const since = paused && live ? eventsSince(paused.value ?? [], live) : { count: 0, capped: false };
  const lines = useMemo(() => {
    const events = shown ?? [];
    return (fold ? groupHeads(events) : events.map((event): FeedLine => ({ kind: 'event', event }))).slice(0, SHOWN);
  }, [shown, fold]);
  return (
    <div className={paused ? 'panel is-paused' : 'panel'} data-testid="event-feed" data-paused={paused ? 'true' : 'false'}>
      <div className="panel-head">
        <label className="small">
          <input type="checkbox" checked={fold} onChange={(e) => setFold(e.target.checked)} /> fold runs of new heads
        </label>
        <span className="muted small">newest first</span>
        <PauseControl what="the event feed" paused={paused} newCount={since.count} capped={since.capped} onPause={pause} onResume={resumeAtTop} testId="event-feed-pause" />
      </div>
      {isPending ? (
        <Loading what="events" />
      ) : error && !data ? (
        <ErrorState error={error} what="the event feed" />
      ) : lines.length === 0 ? (
        <Empty>No events yet.</Empty>
      ) : (
        <FeedLines lines={lines} ids={ids} ref={list} />
      )}
    </div>
  );
}
