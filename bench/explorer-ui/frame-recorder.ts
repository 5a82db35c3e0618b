// Frame times inside the page: every requestAnimationFrame interval while a phase runs (what
// the reader sees as smooth or not), and Chromium's long-animation-frame entries (frames over
// 50 ms) where the browser reports them. The page-side code is plain JavaScript in strings:
// functions handed to page.evaluate would carry the helpers tsx adds to them (`__name`), which
// the page does not have.
import type { Page } from '@playwright/test';

export interface FrameSample {
  /** requestAnimationFrame intervals, ms. */
  frames: number[];
  /** Durations of long animation frames, ms (empty where the browser has no such entries). */
  longFrames: number[];
}

const START = `(() => {
  const state = { frames: [], longFrames: [], running: true, observer: null };
  window.__frames = state;
  let last = 0;
  const tick = (t) => {
    if (!state.running) return;
    if (last > 0) state.frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    state.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) state.longFrames.push(e.duration); });
    state.observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    state.observer = null;
  }
})()`;

const STOP = `(() => {
  const state = window.__frames;
  if (!state) throw new Error('stopFrames before startFrames');
  state.running = false;
  if (state.observer) state.observer.disconnect();
  return { frames: state.frames, longFrames: state.longFrames };
})()`;

const NEXT_PAINT = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`;

export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(START);
}

export async function stopFrames(page: Page): Promise<FrameSample> {
  return (await page.evaluate(STOP)) as FrameSample;
}

/** Two animation frames: whatever the last input changed has been drawn. */
export async function nextPaint(page: Page): Promise<void> {
  await page.evaluate(NEXT_PAINT);
}

/** Milliseconds from navigation start to the performance mark `name`, waiting for it to be set. */
export async function markTime(page: Page, name: string, timeoutMs = 60_000): Promise<number> {
  const probe = `performance.getEntriesByName(${JSON.stringify(name)}).length > 0`;
  await page.waitForFunction(probe, undefined, { timeout: timeoutMs });
  return (await page.evaluate(`performance.getEntriesByName(${JSON.stringify(name)})[0].startTime`)) as number;
}

/** When the page had the answer of its first request whose URL contains `part` (ms from navigation start); null if none yet. */
export async function responseEnd(page: Page, part: string): Promise<number | null> {
  const probe = `(performance.getEntriesByType('resource').find((e) => e.name.includes(${JSON.stringify(part)})) || { responseEnd: null }).responseEnd`;
  return (await page.evaluate(probe)) as number | null;
}
