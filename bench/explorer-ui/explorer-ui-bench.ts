// `npm run bench -- explorer-ui`: the fork view at size, in Chromium.
//
//   1. A generated index (fork-index.ts): --ui-blocks heights (5,000), --ui-nodes nodes (16), a
//      resolved fork episode every 8 heights (~1,200 stale blocks), served by server/main.ts
//      with the explorer's production build.
//   2. First render: navigation start → the tree drawn (the page's `forks:graph-drawn` mark),
//      each in a fresh browser context (no HTTP cache), for /forks (the newest 60 heights) and
//      for the widest window one request may hold (500 heights).
//   3. Frame times (requestAnimationFrame intervals in the page) on the 500-height window while
//      panning (wheel and drag), zooming (buttons and Ctrl+wheel), moving by the overview strip
//      and the previous/next fork buttons, and scrubbing the time slider one second at a time.
// (The contexts bypass the page's CSP: the probes are page-side strings, which it forbids.)
// Goals: first render ≤ 1 s; p95 frame ≤ 50 ms in every phase.
import os from 'node:os';
import { chromiumLaunchOptions, CHROMIUM_PATH } from '../../lib/chromium.ts';
import { chromium, type Browser, type Page } from '@playwright/test';
import { goal, type BenchResult, type Figure, type Goal } from '../core/result.ts';
import { fmt, summarise } from '../core/stats.ts';
import { blockTimeMs } from '../explorer-api/synthetic-network.ts';
import { serveForkIndex } from './fork-index.ts';
import { markTime, nextPaint, responseEnd, startFrames, stopFrames, type FrameSample } from './frame-recorder.ts';

export interface ExplorerUiBenchOptions {
  blocks: number;
  nodes: number;
  navigations: number;
  say: (line?: string) => void;
}

export const FIRST_RENDER_GOAL_MS = 1_000;
export const FRAME_P95_GOAL_MS = 50;
const WINDOW = 500;
const DRAWN_MARK = 'forks:graph-drawn';
const VIEWPORT = { width: 1366, height: 900 };
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Milliseconds from navigation start to the tree drawn, in a fresh context, and to the tree's data received. */
async function firstRender(browser: Browser, url: string): Promise<{ drawn: number; data: number | null }> {
  const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const drawn = await markTime(page, DRAWN_MARK);
    return { drawn, data: (await responseEnd(page, '/api/forks?')) ?? (await responseEnd(page, '/api/forks')) };
  } finally {
    await context.close();
  }
}

async function graphBox(page: Page) {
  const box = await page.locator('.fork-scroll').boundingBox();
  if (!box) throw new Error('the fork graph is not on screen');
  return box;
}

async function pan(page: Page): Promise<void> {
  const box = await graphBox(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 6);
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(-200, 0);
    await nextPaint(page);
  }
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(i % 2 ? 300 : -300, 0);
    await nextPaint(page);
  }
  // Drag the background: the lowest lane's strip has no blocks under the pointer.
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height - 4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height - 4, { steps: 30 });
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height - 4, { steps: 30 });
  await page.mouse.up();
  await nextPaint(page);
}

async function zoom(page: Page): Promise<void> {
  for (const [id, times] of [
    ['fork-zoom-out', 5],
    ['fork-zoom-in', 8],
    ['fork-zoom-out', 3],
  ] as const) {
    for (let i = 0; i < times; i++) {
      const button = page.getByTestId(id);
      if (await button.isDisabled()) break;
      await button.click();
      await nextPaint(page);
    }
  }
  const box = await graphBox(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, i < 6 ? 100 : -100);
    await nextPaint(page);
  }
  await page.keyboard.up('Control');
  const fit = page.getByTestId('fork-zoom-fit');
  if (!(await fit.isDisabled())) await fit.click();
  await nextPaint(page);
}

/** The overview strip (drag within the loaded heights, release outside: a new window loads) and the fork buttons. */
async function overview(page: Page): Promise<void> {
  const strip = page.getByTestId('fork-overview-strip');
  const box = await strip.boundingBox();
  if (!box) throw new Error('the overview strip is not on screen');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.97, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.92, y, { steps: 20 });
  const loaded = page.waitForResponse((r) => r.url().includes('/api/forks?'));
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 20 });
  await page.mouse.up();
  await loaded;
  await nextPaint(page);
  for (const id of ['fork-next', 'fork-next', 'fork-next', 'fork-prev', 'fork-prev', 'fork-prev', 'fork-prev', 'fork-prev']) {
    await page.getByTestId(id).click();
    await nextPaint(page);
  }
}

/**
 * One second a step (one block): `steps` back, each a new tree from the server, then as many
 * forward, which the page answers from its cache. Each step waits until the page shows it.
 */
async function scrub(page: Page, steps: number): Promise<void> {
  const slider = page.getByLabel('Time', { exact: true });
  await slider.focus();
  for (let i = 0; i < steps * 2; i++) {
    const before = await page.evaluate('location.search');
    const answered = i < steps ? page.waitForResponse((r) => r.url().includes('/api/forks?') && r.url().includes('at='), { timeout: 30_000 }) : null;
    await page.keyboard.press(i < steps ? 'ArrowLeft' : 'ArrowRight');
    await answered;
    // The step is committed (after the slider's short pause) once the URL carries it.
    await page.waitForFunction(`location.search !== ${JSON.stringify(before)}`, undefined, { timeout: 30_000 });
    await nextPaint(page);
  }
}

async function phase(page: Page, run: () => Promise<void>): Promise<FrameSample> {
  await startFrames(page);
  await run();
  return stopFrames(page);
}

export async function runExplorerUiBench(opts: ExplorerUiBenchOptions): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const { say } = opts;
  const loadAtStart = load();
  say(`fork view over ${fmt(opts.blocks)} heights, ${opts.nodes} nodes, in Chromium ${CHROMIUM_PATH ?? "(Playwright's)"}; load average ${loadAtStart}`);
  const served = await serveForkIndex({ blocks: opts.blocks, nodes: opts.nodes, say: (l) => say(l) });
  let browser: Browser | null = null;
  try {
    const head = served.loaded.head;
    const forkBlocks = served.loaded.window.forkBlocks.length;
    say(`  ${fmt(forkBlocks)} fork blocks, ${fmt(served.staleBlocks)} stale (on no node's chain) over ${fmt(head + 1)} heights; explorer at ${served.url}`);
    const from = head - WINDOW + 1;
    const wide = `${served.url}/forks?from=${from}&to=${head}`;

    // What the page asks the API for: the window of heights, and the compact overview.
    const sizes: Figure[] = [];
    for (const [name, path] of [
      ['GET /api/forks (default: newest 60 heights)', '/api/forks'],
      [`GET /api/forks (${WINDOW} heights, the widest window)`, `/api/forks?from=${from}&to=${head}`],
      ['GET /api/forks/overview (all heights)', '/api/forks/overview'],
    ] as const) {
      const t0 = performance.now();
      const body = await (await fetch(`${served.url}${path}`)).text();
      const ms = performance.now() - t0;
      sizes.push({ name: `${name} size`, value: Math.round(body.length / 1024), unit: 'KiB', note: `${fmt(ms, 0)} ms for one request after start-up` });
      say(`  ${name}: ${fmt(body.length / 1024, 1)} KiB in ${fmt(ms, 0)} ms`);
    }

    browser = await chromium.launch(chromiumLaunchOptions());
    say(`first render (navigation start → tree drawn; fresh context each, after one warm-up; load ${load()})`);
    await firstRender(browser, `${served.url}/forks`);
    const renders: Record<'default' | 'wide', number[]> = { default: [], wide: [] };
    // After the tree's data arrived: the page's own work (parse, lay out, draw) in the first render.
    const afterData: Record<'default' | 'wide', number[]> = { default: [], wide: [] };
    for (let i = 0; i < opts.navigations; i++) {
      for (const [kind, target] of [
        ['default', `${served.url}/forks`],
        ['wide', wide],
      ] as const) {
        const r = await firstRender(browser, target);
        renders[kind].push(r.drawn);
        if (r.data !== null) afterData[kind].push(r.drawn - r.data);
      }
    }
    const firstDefault = summarise(renders.default);
    const firstWide = summarise(renders.wide);
    const list = (v: number[]) => v.map((x) => fmt(x)).join(', ');
    say(`  /forks (60 heights):   p50 ${fmt(firstDefault.p50)} ms, max ${fmt(firstDefault.max)} ms  [${list(renders.default)}]; data → drawn [${list(afterData.default)}] ms`);
    say(`  /forks (${WINDOW} heights): p50 ${fmt(firstWide.p50)} ms, max ${fmt(firstWide.max)} ms  [${list(renders.wide)}]; data → drawn [${list(afterData.wide)}] ms`);

    const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(wide);
    await markTime(page, DRAWN_MARK);
    await page.getByTestId('fork-overview-strip').waitFor();
    const graph = page.getByTestId('fork-graph');
    const drawnAtFit = Number(await graph.getAttribute('data-drawn-blocks'));
    const totalInWindow = Number(await graph.getAttribute('data-total-blocks'));
    say(
      `frames (requestAnimationFrame intervals) on the ${WINDOW}-height window: ${fmt(totalInWindow)} blocks loaded, ${fmt(drawnAtFit)} drawn at the fitted zoom  [load ${load()}]`,
    );
    const phases: Array<{ name: string; sample: FrameSample }> = [];
    phases.push({ name: 'pan (wheel, drag)', sample: await phase(page, () => pan(page)) });
    phases.push({ name: 'zoom (buttons, Ctrl+wheel)', sample: await phase(page, () => zoom(page)) });
    phases.push({ name: 'overview strip and fork buttons', sample: await phase(page, () => overview(page)) });
    // Time travel to a moment inside the generated history: the fork episodes come and go.
    const at = blockTimeMs(head - 200) + 900;
    await page.goto(`${wide}&at=${at}`);
    await markTime(page, DRAWN_MARK);
    phases.push({ name: 'time slider (1 s steps)', sample: await phase(page, () => scrub(page, 15)) });
    await context.close();

    const figures: Figure[] = [
      {
        name: 'first render /forks (60 heights) p50',
        value: firstDefault.p50,
        unit: 'ms',
        note: `max ${fmt(firstDefault.max)} ms over ${renders.default.length} fresh-context navigations`,
      },
      {
        name: `first render /forks (${WINDOW} heights) p50`,
        value: firstWide.p50,
        unit: 'ms',
        note: `max ${fmt(firstWide.max)} ms over ${renders.wide.length} fresh-context navigations`,
      },
      { name: `blocks drawn of ${totalInWindow} loaded (fitted zoom)`, value: drawnAtFit, unit: 'blocks', note: 'culling: only the columns on screen plus a margin' },
      ...sizes,
    ];
    const goals: Goal[] = [
      goal(
        'first render /forks',
        `≤ ${FIRST_RENDER_GOAL_MS} ms`,
        firstDefault.max,
        'ms',
        (firstDefault.max ?? Infinity) <= FIRST_RENDER_GOAL_MS,
        `max ${fmt(firstDefault.max)} ms (load ${load()})`,
      ),
      goal(
        `first render /forks, ${WINDOW} heights`,
        `≤ ${FIRST_RENDER_GOAL_MS} ms`,
        firstWide.max,
        'ms',
        (firstWide.max ?? Infinity) <= FIRST_RENDER_GOAL_MS,
        `max ${fmt(firstWide.max)} ms (load ${load()})`,
      ),
    ];
    for (const { name, sample } of phases) {
      const s = summarise(sample.frames);
      const long = sample.longFrames;
      say(
        `  ${name.padEnd(34)} p50 ${fmt(s.p50, 1).padStart(6)} ms  p95 ${fmt(s.p95, 1).padStart(6)} ms  max ${fmt(s.max, 1).padStart(6)} ms  over ${s.count} frames; ` +
          `${long.length} long animation frames${long.length ? ` (max ${fmt(Math.max(...long), 0)} ms)` : ''}`,
      );
      figures.push({
        name: `frame ${name} p95`,
        value: s.p95,
        unit: 'ms',
        note: `p50 ${fmt(s.p50, 1)} ms, max ${fmt(s.max, 1)} ms over ${s.count} frames; ${long.length} long animation frames`,
      });
      goals.push(goal(`frame p95, ${name}`, `≤ ${FRAME_P95_GOAL_MS} ms`, s.p95, 'ms', (s.p95 ?? Infinity) <= FRAME_P95_GOAL_MS, `p95 ${fmt(s.p95, 1)} ms (load ${load()})`));
    }
    goals.push(goal('stale blocks in the index', '≥ 500', served.staleBlocks, 'blocks', served.staleBlocks >= 500));
    return {
      params: {
        heights: head + 1,
        nodes: opts.nodes,
        forkBlocks,
        staleBlocks: served.staleBlocks,
        window: WINDOW,
        navigations: opts.navigations,
        viewport: VIEWPORT,
        explorerBuildMs: served.buildMs,
        loadAverage: { start: loadAtStart, end: load() },
        data: 'synthetic (bench/explorer-api/synthetic-network.ts) with a resolved fork episode (1–3 blocks, 3 nodes, then a reorg) every 8 heights, plus a live split at the top',
      },
      figures,
      goals,
    };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- explorer log (tail) ---\n${served.log().slice(-3_000)}`, { cause: err });
  } finally {
    await browser?.close();
    await served.stop();
  }
}
