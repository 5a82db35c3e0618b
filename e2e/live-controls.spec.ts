// The overview's live views tell the truth and can be held still (issue 16): a pinned node stays
// first across a reload; a paused node table and event feed stop changing while the testnet
// keeps making blocks, and Resume shows them; the banner and the rows are one moment's.
import { expect, test, type Page } from '@playwright/test';

interface NodeJson {
  height: number | null;
}

/** The best head height the API reports now. */
async function apiBestHeight(page: Page): Promise<number> {
  const body = (await (await page.request.get('/api/nodes')).json()) as { nodes: NodeJson[] };
  return Math.max(...body.nodes.map((n) => n.height ?? -1));
}

/** The highest height the node table shows. */
async function tableBestHeight(page: Page): Promise<number> {
  const cells = await page.getByTestId('node-height').allInnerTexts();
  return Math.max(...cells.map((c) => Number(c) || -1));
}

test.describe('live controls', () => {
  test('a pinned node is first, pressed, and still first after a reload', async ({ page }, testInfo) => {
    await page.goto('/');
    const rows = page.getByTestId('node-row');
    await expect(rows).toHaveCount(4);
    const name = (await rows.last().getAttribute('data-node'))!;
    const pin = page.getByRole('button', { name: `Pin ${name} to the top` });
    await expect(pin).toHaveAttribute('aria-pressed', 'false');
    await pin.click();
    await expect(rows.first()).toHaveAttribute('data-node', name);
    await expect(pin).toHaveAttribute('aria-pressed', 'true');
    await page.screenshot({ path: testInfo.outputPath('pinned.png') });

    await page.reload();
    await expect(rows).toHaveCount(4);
    await expect(rows.first()).toHaveAttribute('data-node', name);
    await expect(page.getByRole('button', { name: `Pin ${name} to the top` })).toHaveAttribute('aria-pressed', 'true');

    // Unpinned, it goes back among the others (it was last, by name).
    await page.getByRole('button', { name: `Pin ${name} to the top` }).click();
    await expect(rows.last()).toHaveAttribute('data-node', name);
  });

  test('paused, the node table and the feed hold still while blocks are made; resumed, they show them', async ({ page }, testInfo) => {
    await page.goto('/');
    const table = page.getByTestId('node-table');
    const feed = page.getByTestId('event-feed-lines');
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    await expect(feed.getByTestId('feed-line').first()).toBeVisible();

    await page.getByRole('button', { name: 'Pause the node table' }).click();
    await page.getByRole('button', { name: 'Pause the event feed' }).click();
    await expect(page.getByTestId('node-table-view')).toHaveAttribute('data-paused', 'true');
    const frozenTable = await table.innerText();
    const frozenFeed = await feed.innerText();
    const frozenHeight = await tableBestHeight(page);

    // The testnet moves on (two blocks past what the table shows, read from the API) and the
    // paused notes count what arrived; what is drawn has not moved.
    await expect.poll(() => apiBestHeight(page), { timeout: 30_000, message: 'new blocks in the API' }).toBeGreaterThan(frozenHeight + 1);
    await expect(page.getByTestId('node-table-pause-count')).not.toHaveText(/^0 /);
    await expect(page.getByTestId('event-feed-pause-count')).not.toHaveText(/^0 /);
    expect(await table.innerText()).toBe(frozenTable);
    expect(await feed.innerText()).toBe(frozenFeed);
    expect(await tableBestHeight(page)).toBe(frozenHeight);
    await page.screenshot({ path: testInfo.outputPath('paused.png'), fullPage: true });

    // A reader scrolled down the frozen feed (every line unfolded); Resume brings the newest to the top.
    await page.getByLabel('fold runs of new heads').uncheck();
    await expect.poll(() => feed.evaluate((ol) => ol.scrollHeight > ol.clientHeight)).toBe(true);
    await feed.evaluate((ol) => ol.scrollTo({ top: ol.scrollHeight }));
    await expect.poll(() => feed.evaluate((ol) => ol.scrollTop)).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Resume the node table' }).click();
    await page.getByRole('button', { name: 'Resume the event feed' }).click();
    await expect.poll(() => feed.evaluate((ol) => ol.scrollTop)).toBe(0);
    await expect(page.getByTestId('node-table-view')).toHaveAttribute('data-paused', 'false');
    await expect.poll(() => tableBestHeight(page)).toBeGreaterThan(frozenHeight + 1);
    await expect.poll(() => feed.innerText()).not.toBe(frozenFeed);
  });

  test("the banner's height is the rows' common height, and each lag is the rows' own", async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    // Rows, lags and banner read in one synchronous pass over the DOM (one rendered moment),
    // again and again while blocks arrive, until several moments with the rows agreeing are seen.
    const contradictions: string[] = [];
    let agreeingMoments = 0;
    await expect
      .poll(
        async () => {
          const moment = await page.evaluate(() => {
            const cells = (id: string) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? '');
            const banner = document.querySelector<HTMLElement>('[data-testid="consensus-banner"]');
            return { heights: cells('node-height').map(Number), lags: cells('node-lag').map(Number), status: banner?.dataset.status, text: banner?.textContent ?? '' };
          });
          const best = Math.max(...moment.heights);
          moment.heights.forEach((h, i) => {
            if (!Number.isNaN(moment.lags[i]) && moment.lags[i] !== best - h) contradictions.push(`row at ${h} shows lag ${moment.lags[i]} (best ${best})`);
          });
          if (moment.status === 'agreed') {
            const said = Number(/agree at height (\d+)/.exec(moment.text)?.[1]);
            if (said !== Math.min(...moment.heights)) contradictions.push(`banner "${moment.text}" over rows ${moment.heights.join(', ')}`);
            if (new Set(moment.heights).size === 1) agreeingMoments++;
          }
          return agreeingMoments;
        },
        { timeout: 45_000, intervals: [50], message: 'moments with every row at one height and the banner agreeing' },
      )
      .toBeGreaterThanOrEqual(5);
    expect(contradictions).toEqual([]);
  });
});
