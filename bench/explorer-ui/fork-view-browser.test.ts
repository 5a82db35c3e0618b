// The fork view at size in a real Chromium: the explorer (server/main.ts, production build) over
// a generated index of 5,000 heights with ~1,200 stale blocks across 16 nodes (fork-index.ts).
// The tree draws only the blocks on screen; the overview strip and the previous/next fork
// buttons move it, by mouse and by keyboard.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumLaunchOptions } from '../../lib/chromium.ts';
import { chromium, type Browser, type Page } from '@playwright/test';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { serveForkIndex, type ServedForkIndex } from './fork-index.ts';

const LONG = { timeoutMs: 60_000, intervalMs: 200 };

const drawnHeights = async (page: Page) => (await page.getByTestId('fork-block').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-height'))))).sort((a, b) => a - b);
const search = (page: Page) => new URL(page.url()).searchParams;

describe('the fork view over 5,000 heights, in a browser', { timeout: 900_000 }, () => {
  let served: ServedForkIndex;
  let browser: Browser;
  let page: Page;
  before(async () => {
    served = await serveForkIndex({ blocks: 5_000, nodes: 16, say: () => undefined });
    browser = await chromium.launch(chromiumLaunchOptions());
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws only the blocks on screen, wherever the tree is scrolled', async () => {
    const head = served.loaded.head;
    await page.goto(`${served.url}/forks?from=${head - 499}&to=${head}`);
    const graph = page.getByTestId('fork-graph');
    await graph.waitFor({ timeout: 60_000 });
    const total = Number(await graph.getAttribute('data-total-blocks'));
    assert.ok(total > 600, `the 500-height window holds ${total} blocks`);
    for (const scrollTo of ['end', 'start', 'middle'] as const) {
      await page.locator('.fork-scroll').evaluate((el, where) => {
        el.scrollLeft = where === 'start' ? 0 : where === 'end' ? el.scrollWidth : el.scrollWidth / 2;
      }, scrollTo);
      // The strip's frame says what is on screen once the scroll has been seen.
      const visible = await waitFor(async () => {
        const view = page.getByTestId('fork-overview-view');
        const [from, to] = [Number(await view.getAttribute('data-from')), Number(await view.getAttribute('data-to'))];
        const there = scrollTo === 'start' ? from === head - 499 : scrollTo === 'end' ? to === head : from > head - 400 && to < head - 100;
        return there ? from : null;
      }, LONG);
      // The DOM's blocks and the count the graph reports, read together (a scroll may still re-render).
      const { heights, reported } = await waitFor(async () => {
        const seen = await graph.evaluate((svg) => ({
          heights: [...svg.querySelectorAll('[data-testid="fork-block"]')].map((e) => Number(e.getAttribute('data-height'))).sort((a, b) => a - b),
          reported: Number(svg.getAttribute('data-drawn-blocks')),
        }));
        const h = seen.heights;
        return h.length > 0 && h[0] <= visible && h.at(-1)! >= visible && h.length === seen.reported ? seen : null;
      }, LONG);
      assert.ok(heights.length < total / 2, `${heights.length} of ${total} blocks drawn with the tree at its ${scrollTo}`);
      assert.ok(heights.at(-1)! - heights[0] < 250, `drawn heights ${heights[0]}–${heights.at(-1)} span about three screens, not the window`);
      assert.equal(reported, heights.length);
    }
  });

  it('a click on the overview strip loads and shows the heights under it', async () => {
    const strip = page.getByTestId('fork-overview-strip');
    const box = await strip.boundingBox();
    assert.ok(box);
    await strip.click({ position: { x: box.width * 0.2, y: box.height / 2 } }); // about height 1,000
    const from = await waitFor(() => {
      const f = search(page).get('from');
      return f !== null && Number(f) < 2_000 ? Number(f) : null;
    }, LONG);
    const to = Number(search(page).get('to'));
    assert.ok(from <= 1_000 && to >= 1_000, `window ${from}–${to} holds the clicked height`);
    const heights = await waitFor(async () => {
      const h = await drawnHeights(page);
      return h.length > 0 && h[0] >= from && h.at(-1)! <= to ? h : null;
    }, LONG);
    // Centred on the click, not at the window's end.
    const view = page.getByTestId('fork-overview-view');
    const [vFrom, vTo] = [Number(await view.getAttribute('data-from')), Number(await view.getAttribute('data-to'))];
    assert.ok(vFrom <= 1_000 + 40 && vTo >= 1_000 - 40, `on screen ${vFrom}–${vTo}, drawn ${heights[0]}–${heights.at(-1)}`);
    // By keyboard: the strip is a slider; End goes to the newest heights.
    await strip.focus();
    await page.keyboard.press('End');
    await waitFor(() => Number(search(page).get('to')) === served.loaded.head, LONG);
  });

  it('the previous and next fork buttons centre and select the fork point beside the view', async () => {
    const next = page.getByTestId('fork-next');
    const prev = page.getByTestId('fork-prev');
    assert.match((await prev.getAttribute('title')) ?? '', /fork point at height \d+/);
    // At the newest heights: back one fork point, by mouse.
    const target = Number(await prev.getAttribute('data-target'));
    await prev.click();
    const details = page.getByTestId('fork-details');
    await waitFor(async () => (await details.textContent())?.includes(`Block #${target}`), LONG);
    await waitFor(async () => (await page.locator(`[data-testid="fork-block"][data-fork-point][data-height="${target}"]`).count()) === 1, LONG);
    // Then back again and forward again, by keyboard: each lands on the neighbouring fork point.
    const before = Number(await prev.getAttribute('data-target'));
    assert.ok(before < target);
    await prev.focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await details.textContent())?.includes(`Block #${before}`), LONG);
    await waitFor(async () => Number(await next.getAttribute('data-target')) === target, LONG);
    await next.focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await details.textContent())?.includes(`Block #${target}`), LONG);
  });
});
