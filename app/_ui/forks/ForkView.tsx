'use client';
// /forks: the block tree of recent heights, where each node's head is and where chains split,
// now or at any moment since history began.
import { memo, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { ForkBlock, ForksResponse, NodeStatus, NodeTip } from '../../../wire/explorer-api.ts';
import type { ForksParams } from '../../_lib/api.ts';
import { age, dateTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Hash } from '../common/Hash.tsx';
import { nodeColorMap } from '../common/nodeColors.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useHealth, useNodes } from '../nodes/useNodes.ts';
import { ForkBlockDetails } from './ForkBlockDetails.tsx';
import { ForkGraph, ZOOM_MAX_COL, ZOOM_MIN_COL, columnWidth, labelWidth } from './ForkGraph.tsx';
import { useElementWidth } from '../common/useElementWidth.ts';
import { layoutForkTree, type ForkLayout } from './layoutForkTree.ts';
import { finalityAt, finalitySentence } from './forkFinality.ts';
import { TimeSlider } from './TimeSlider.tsx';
import { useForks } from './useForks.ts';
import { useChaos } from '../chaos/useChaos.ts';
import { ForkFaultStrip } from './ForkFaultStrip.tsx';
import { forkSearch, parseForkSearch } from './forkFaults.ts';
import { ReorgTable } from './ReorgTable.tsx';
import { createViewportStore } from './forkViewport.ts';
import { windowAround } from './forkOverview.ts';
import { useForkOverview } from './useForkOverview.ts';
import { ForkOverviewStrip } from './ForkOverviewStrip.tsx';
import { ForkNavigator } from './ForkNavigator.tsx';

const MAX_RANGE = 500;

function RangeForm({ from, to, shown, onApply }: { from?: number; to?: number; shown: ForksResponse | undefined; onApply: (r: { from?: number; to?: number }) => void }) {
  const [f, setF] = useState(from?.toString() ?? '');
  const [t, setT] = useState(to?.toString() ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const nf = f.trim() === '' ? undefined : Number(f);
    const nt = t.trim() === '' ? undefined : Number(t);
    if ((nf !== undefined && !(Number.isInteger(nf) && nf >= 0)) || (nt !== undefined && !(Number.isInteger(nt) && nt >= 0)))
      return setProblem('Heights are whole numbers from 0.');
    if (nf !== undefined && nt !== undefined && nf > nt) return setProblem('“From” must not be above “to”.');
    if (nf !== undefined && nt !== undefined && nt - nf >= MAX_RANGE) return setProblem(`At most ${MAX_RANGE} heights at once.`);
    setProblem(null);
    onApply({ from: nf, to: nt });
  }
  return (
    <form className="rangeform" onSubmit={submit} aria-label="Height range">
      <label>
        From height <input type="number" min={0} inputMode="numeric" value={f} placeholder={shown ? String(shown.from) : ''} onChange={(e) => setF(e.target.value)} />
      </label>
      <label>
        to <input type="number" min={0} inputMode="numeric" value={t} placeholder={shown ? String(shown.to) : ''} onChange={(e) => setT(e.target.value)} />
      </label>
      <button type="submit" className="button">
        Show
      </button>
      <button
        type="button"
        className="button"
        disabled={from === undefined && to === undefined}
        onClick={() => {
          setF('');
          setT('');
          setProblem(null);
          onApply({});
        }}
      >
        Last 60 heights
      </button>
      {problem && (
        <span className="state-error small" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

function summary(layout: ForkLayout, res: ForksResponse): string {
  const inRange = res.tips.filter((t) => layout.byHash.has(t.hash));
  const tipBranches = new Set(inRange.map((t) => layout.byHash.get(t.hash)!.lane));
  const forks = layout.forkPoints.size;
  const orphans = layout.blocks.filter((b) => b.block.orphaned).length;
  const heads = inRange.length === res.tips.length ? `${res.tips.length} node heads` : `${inRange.length} of ${res.tips.length} node heads in range`;
  const parts = [`Heights ${res.from}–${res.to}`, `${heads} on ${tipBranches.size} branch${tipBranches.size === 1 ? '' : 'es'}`];
  parts.push(forks === 0 ? 'no fork points' : `${forks} fork point${forks === 1 ? '' : 's'}`);
  if (orphans) parts.push(`${orphans} orphaned block${orphans === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** Heads below the range are easy to miss, and they are usually the interesting ones. */
function HeadsBelow({ res, layout, forkHeight, onInclude }: { res: ForksResponse; layout: ForkLayout; forkHeight: number | undefined; onInclude: (from: number) => void }) {
  const below = res.tips.filter((t) => !layout.byHash.has(t.hash) && t.height < res.from);
  if (below.length === 0) return null;
  // Down to the block the branches share, when the monitor knows where they split.
  const lowest = Math.min(...below.map((t) => t.height), forkHeight !== undefined ? forkHeight - 1 : Infinity);
  const from = Math.max(0, lowest - 5, res.to - (MAX_RANGE - 1));
  const names = below.map((t) => `${t.name} (#${t.height})`).join(', ');
  return (
    <div className="notice" role="status" data-testid="heads-below">
      <span>
        {below.length === 1 ? 'The head of ' : 'The heads of '}
        <span className="strong">{names}</span> {below.length === 1 ? 'is' : 'are'} below this range, so {below.length === 1 ? 'its branch is' : 'their branches are'} not drawn.
      </span>
      <button type="button" className="button" onClick={() => onInclude(from)}>
        Show heights {from}–{res.to}
      </button>
      {from > lowest && <span className="muted small">(at most {MAX_RANGE} heights at once)</span>}
    </div>
  );
}

// Memoised, like Reorgs: zooming and the strip re-render the page, and these tables depend on the data only.
const TipsTable = memo(function TipsTable({
  res,
  layout,
  nodes,
  colors,
  onShow,
}: {
  res: ForksResponse;
  layout: ForkLayout;
  nodes: NodeStatus[];
  colors: Map<string, string>;
  onShow: (hash: string) => void;
}) {
  const now = useNow();
  const idOf = new Map(nodes.map((n) => [n.id, n.id]));
  const columns: Column<NodeTip>[] = [
    {
      key: 'node',
      header: 'Node',
      cell: (t) => (
        <>
          <span className="swatch" style={{ background: colors.get(t.nodeId) }} aria-hidden="true" />
          {idOf.has(t.nodeId) ? <Link href={`/nodes/${encodeURIComponent(t.nodeId)}`}>{t.name}</Link> : t.name}
        </>
      ),
    },
    { key: 'height', header: 'Tip height', align: 'end', cell: (t) => t.height },
    { key: 'tip', header: 'Tip', cell: (t) => <Hash value={t.hash} /> },
    {
      key: 'branch',
      header: 'Branch',
      cell: (t) => {
        const placed = layout.byHash.get(t.hash);
        return placed ? (
          <button type="button" className="linkish" onClick={() => onShow(t.hash)}>
            {placed.lane === 0 ? 'main (top lane)' : `side branch (lane ${placed.lane + 1})`}
          </button>
        ) : (
          <span className="muted">{t.height < res.from ? 'below this range' : t.height > res.to ? 'above this range' : 'not indexed yet'}</span>
        );
      },
    },
    { key: 'since', header: 'Since', className: 'muted', cellProps: (t) => ({ title: dateTime(t.since) }), cell: (t) => age(t.since, now) },
  ];
  return <DataTable columns={columns} rows={res.tips} rowKey={(t) => t.nodeId} rowProps={(t) => ({ 'data-testid': 'tip-row', 'data-node': t.name })} testId="fork-tips" />;
});

const Reorgs = memo(function Reorgs({ res }: { res: ForksResponse }) {
  const now = useNow();
  if (res.reorgs.length === 0) return <Empty>No reorgs in this range{res.at < now - 2_000 ? ' up to this moment' : ''}.</Empty>;
  return <ReorgTable reorgs={res.reorgs} />;
});

export function ForkView() {
  // The range and the moment live in the URL too (?from=&to=&at=), so a view can be linked to
  // and the back button leaves the page where it was.
  const search = useSearchParams();
  const searchText = search.toString();
  const [range, setRange] = useState<{ from?: number; to?: number }>(() => {
    const s = parseForkSearch(search);
    return { from: s.from, to: s.to };
  });
  const [at, setAt] = useState<number | null>(() => parseForkSearch(search).at);
  // A link to /forks?… followed while the page is open.
  useEffect(() => {
    const s = parseForkSearch(new URLSearchParams(searchText));
    setRange((r) => (r.from === s.from && r.to === s.to ? r : { from: s.from, to: s.to }));
    setAt(s.at);
  }, [searchText]);
  useEffect(() => {
    const want = forkSearch({ at, ...range });
    if (window.location.search !== want) window.history.replaceState(null, '', `${window.location.pathname}${want}`);
  }, [at, range]);
  const params: ForksParams = { ...range, at: at ?? undefined };
  const chaos = useChaos().data;
  const { data, error, isPending, isPlaceholderData, isFetching } = useForks(params);
  const nodes = useNodes().data?.nodes ?? [];
  const health = useHealth();
  // The selected block is kept as a copy: in live mode it may slide out of the range while
  // the reader is still looking at its details.
  const [selectedBlock, setSelectedBlock] = useState<ForkBlock | null>(null);
  const selected = selectedBlock?.hash ?? null;
  const [hovered, setHovered] = useState<string | null>(null);
  const [focused, setFocused] = useState<string | null>(null);

  const names = useMemo(() => new Map((nodes.length ? nodes : (data?.tips ?? []).map((t) => ({ id: t.nodeId, name: t.name }))).map((n) => [n.id, n.name])), [nodes, data?.tips]);
  const colors = useMemo(() => nodeColorMap(nodes.length ? nodes : (data?.tips ?? []).map((t) => ({ id: t.nodeId, name: t.name }))), [nodes, data?.tips]);
  const [panelRef, panelWidth] = useElementWidth<HTMLDivElement>(1100);
  const { layout, col, labelCols } = useMemo(() => {
    if (!data) return { layout: null, col: 24, labelCols: 0 };
    const byTipHash = new Map<string, NodeTip[]>();
    for (const t of data.tips) byTipHash.set(t.hash, [...(byTipHash.get(t.hash) ?? []), t]);
    const labelPx = labelWidth(byTipHash);
    const columns = data.blocks.length ? Math.max(...data.blocks.map((b) => b.height)) - Math.min(...data.blocks.map((b) => b.height)) + 1 : 1;
    const col = columnWidth(panelWidth, columns, labelPx);
    const labelCols = Math.ceil(labelPx / col);
    return { layout: layoutForkTree(data.blocks, data.tips, { tipLabelColumns: labelCols }), col, labelCols };
  }, [data, panelWidth]);

  const finality = useMemo(() => (layout ? finalityAt(data?.finality, (h) => layout.byHash.has(h)) : null), [layout, data?.finality]);

  // Zoom multiplies the fitted column width; it never lays the tree out again (see ForkGraph).
  const [zoom, setZoom] = useState(1);
  const shownCol = Math.max(ZOOM_MIN_COL, Math.min(ZOOM_MAX_COL, Math.round(col * zoom)));
  const onZoom = useCallback((factor: number) => setZoom((z) => Math.max(ZOOM_MIN_COL / 48, Math.min(ZOOM_MAX_COL / 3, z * factor))), []);
  // What is on screen, shared with the strip and the fork buttons without re-rendering this page.
  const [viewport] = useState(createViewportStore);
  const overview = useForkOverview().data;
  // Fork points to jump between: the overview's (all heights, re-read every 30 s) and the loaded
  // tree's (live, so a fork a moment old is reachable too).
  const forkHeights = useMemo(() => {
    const all = new Set(overview?.forkHeights ?? []);
    for (const hash of layout?.forkPoints ?? []) all.add(layout!.byHash.get(hash)!.block.height);
    return [...all].sort((a, b) => a - b);
  }, [overview, layout]);
  const [centerOn, setCenterOn] = useState<{ height: number; seq: number } | null>(null);
  const [selectForkAt, setSelectForkAt] = useState<number | null>(null);
  const loadedFrom = data?.from;
  const loadedTo = data?.to;
  // Centre the tree on a height: at once when it is loaded, else load a window around it first.
  const moveTo = useCallback(
    (height: number, final: boolean) => {
      if (loadedFrom === undefined || loadedTo === undefined) return;
      if (height >= loadedFrom && height <= loadedTo) setCenterOn((c) => ({ height, seq: (c?.seq ?? 0) + 1 }));
      else if (final && overview && overview.minHeight !== null && overview.maxHeight !== null) {
        const width = Math.min(MAX_RANGE, Math.max(60, loadedTo - loadedFrom + 1));
        setRange(windowAround(height, width, overview.minHeight, overview.maxHeight));
        setCenterOn((c) => ({ height, seq: (c?.seq ?? 0) + 1 }));
      }
    },
    [loadedFrom, loadedTo, overview],
  );
  const jumpToFork = useCallback(
    (height: number) => {
      setSelectForkAt(height);
      moveTo(height, true);
    },
    [moveTo],
  );
  // Once the tree holding a jumped-to fork point is here, select it so its details show.
  useEffect(() => {
    if (selectForkAt === null || !layout || !data || selectForkAt < data.from || selectForkAt > data.to) return;
    const fork = layout.blocks.find((p) => p.block.height === selectForkAt && layout.forkPoints.has(p.block.hash));
    setSelectForkAt(null);
    if (fork) {
      setSelectedBlock(fork.block);
      setFocused(fork.block.hash);
    }
  }, [selectForkAt, layout, data]);
  const layoutRef = useRef(layout);
  useEffect(() => {
    layoutRef.current = layout;
  }, [layout]);
  const onSelect = useCallback((hash: string) => {
    const block = layoutRef.current?.byHash.get(hash)?.block ?? null;
    setSelectedBlock((s) => (s?.hash === hash ? null : block));
    setFocused(hash);
  }, []);
  const onHover = useCallback((hash: string | null) => setHovered(hash), []);
  const onFocusMove = useCallback((hash: string) => {
    setFocused(hash);
    setHovered(null); // the keyboard now says what to show, not wherever the mouse rests
  }, []);

  // Tab lands on the selected block, else the main branch's newest block.
  const focusTarget = layout && focused && layout.byHash.has(focused) ? focused : (layout?.branches[0]?.blocks.at(-1)?.block.hash ?? null);
  const shown = (hovered ? layout?.byHash.get(hovered)?.block : undefined) ?? (selectedBlock ? (layout?.byHash.get(selectedBlock.hash)?.block ?? selectedBlock) : null);

  let body;
  if (isPending) body = <Loading what="the block tree" />;
  else if (!data || !layout) body = <ErrorState error={error} what="the block tree" />;
  else if (layout.blocks.length === 0)
    body = (
      <Empty>{at === null ? 'No blocks in this range yet. The nodes produce one every block time.' : 'No blocks had been indexed by this moment. Move the slider later.'}</Empty>
    );
  else
    body = (
      <>
        <HeadsBelow res={data} layout={layout} forkHeight={at === null ? health.data?.network.forkHeight : undefined} onInclude={(f) => setRange({ from: f })} />
        <p className="fork-summary" data-testid="fork-summary">
          {summary(layout, data)}
          {(isPlaceholderData || (isFetching && at !== null)) && <span className="muted"> · loading…</span>}
          {error && <span className="state-error"> · could not refresh: {error.message}</span>}
        </p>
        {overview && <ForkOverviewStrip overview={overview} loaded={{ from: data.from, to: data.to }} viewport={viewport} onMove={moveTo} />}
        <ForkNavigator
          forkHeights={forkHeights}
          viewport={viewport}
          fallbackCenter={data.to}
          onJump={jumpToFork}
          zoom={{
            canIn: shownCol < ZOOM_MAX_COL,
            canOut: shownCol > ZOOM_MIN_COL,
            fitted: shownCol * (layout.columns + labelCols) + 40 <= panelWidth,
            loadedHeights: layout.columns,
            onIn: () => onZoom(1.5),
            onOut: () => onZoom(1 / 1.5),
            // Every loaded height on screen: the column width that fits them, as a zoom factor.
            onFit: () => setZoom(Math.max(ZOOM_MIN_COL, Math.floor((panelWidth - 40) / (layout.columns + labelCols))) / col),
          }}
        />
        <div className="panel fork-panel" aria-busy={isPlaceholderData}>
          <ForkGraph
            layout={layout}
            col={shownCol}
            viewport={viewport}
            centerOn={centerOn}
            onZoom={onZoom}
            labelCols={labelCols}
            totalNodes={data.tips.length}
            colors={colors}
            selected={selected}
            focused={focusTarget}
            onSelect={onSelect}
            onHover={onHover}
            onFocusMove={onFocusMove}
            finalityAt={finality?.at}
          />
        </div>
        {data.finality && (
          <p className="muted small" data-testid="fork-finality-summary">
            {finalitySentence(data)}
            {finality && finality.missing.length > 0 && ` Finalized tips outside the drawn range: ${finality.missing.map((f) => `${f.name} #${f.height}`).join(', ')}.`}
          </p>
        )}
        <ForkBlockDetails
          block={shown}
          tips={shown ? (layout.tipsAt.get(shown.hash) ?? []) : []}
          forkPoint={shown ? layout.forkPoints.has(shown.hash) : false}
          nodes={nodes}
          pinned={shown !== null && shown.hash === selected}
        />
        <h2>Node tips</h2>
        <TipsTable res={data} layout={layout} nodes={nodes} colors={colors} onShow={onSelect} />
        <h2>Reorgs</h2>
        <Reorgs res={data} />
      </>
    );

  return (
    <>
      <h1>Forks</h1>
      <p className="muted lede">
        Every block in the range, by height from left to right. The branch most nodes follow runs along the top; side branches sit below it. Each node&apos;s current head is
        labelled with its name.
      </p>
      <div className="fork-controls">
        <RangeForm key={`${range.from}-${range.to}`} from={range.from} to={range.to} shown={data} onApply={setRange} />
        {/* Drawn once data is here: its bounds are clock times, which server HTML cannot know. */}
        {data && <TimeSlider historyStart={data.historyStart} at={at} onChange={setAt} />}
      </div>
      <ul className="legend fork-legend" aria-label="Legend">
        <li>
          <span className="key key-all" /> held by every node
        </li>
        <li>
          <span className="key key-some" /> held by some nodes
        </li>
        <li>
          <span className="key key-orphan" /> orphaned (no node holds it)
        </li>
        <li>
          <span className="key key-fork" /> fork point
        </li>
        <li>
          <span className="key key-tip" /> a node&apos;s head
        </li>
        {data?.finality && (
          <>
            <li>
              <span className="key key-finalrail" /> finalized: its commit was seen (BFT: never reverted)
            </li>
            <li>
              <span className="key-finaltip" aria-hidden="true">
                ▼
              </span>{' '}
              a node&apos;s finalized tip (its colour)
            </li>
          </>
        )}
      </ul>
      <ForkFaultStrip chaos={chaos} at={at} names={names} />
      {/* Always mounted, so its width is known before the first tree arrives. */}
      <div ref={panelRef}>{body}</div>
    </>
  );
}
