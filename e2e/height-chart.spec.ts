// The overview's height chart in Chromium against the real product (4 local nodes, 500 ms
// blocks): window buttons switch 5 min / 1 h / all and the choice survives a reload; hovering
// (and the arrow keys) reads each node's height; a 2|2 partition applied through the control API
// shows as a shaded band that stays, no longer active, after the heal; the y-axis labels read
// top to bottom in descending order and never overlap, before, during and after the fork.
// Screenshots of each state go into the test output.
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { partitionTwoByTwo, TOKEN } from './chaos-session.ts';

const auth = { authorization: `Bearer ${TOKEN}` };

async function networkStatus(request: APIRequestContext): Promise<string> {
  return ((await (await request.get('/api/health')).json()) as { network: { status: string } }).network.status;
}

/** The y labels as drawn: descending from top to bottom, and no two boxes overlap. */
async function expectReadableHeightLabels(chart: Locator) {
  const labels = await chart.getByTestId('y-label').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { value: Number(e.textContent), top: r.top, bottom: r.bottom };
    }),
  );
  expect(labels.length, 'at least two height labels').toBeGreaterThanOrEqual(2);
  const byTop = [...labels].sort((a, b) => a.top - b.top);
  const values = byTop.map((l) => l.value);
  expect(values, 'top to bottom: descending, each once').toEqual([...new Set(values)].sort((a, b) => b - a));
  for (let i = 1; i < byTop.length; i++) expect(byTop[i].top, `${byTop[i - 1].value} and ${byTop[i].value} do not overlap`).toBeGreaterThanOrEqual(byTop[i - 1].bottom);
}

/**
 * Moves the pointer over `target`, `across` of the way from its left edge. Scrolled into view
 * first: alerts raised above the chart push it down, and a pointer moved below the viewport
 * reaches nothing.
 */
async function hover(page: Page, target: Locator, across = 0.5) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width * across, box.y + box.height / 2);
}

test.describe('height chart', () => {
  test.afterAll(async ({ request }) => {
    // Whatever happened, leave the network whole for the next spec file.
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
  });

  test('windows, hover values, a partition as a shaded band, readable y labels', async ({ page, request }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto('/');
    const chart = page.getByTestId('height-chart');
    const svg = chart.getByTestId('height-chart-svg');
    await expect(chart.locator('path[data-node]')).toHaveCount(4);
    await expectReadableHeightLabels(chart);

    // Windows: the pressed button, the caption, readable time labels; the choice survives a reload.
    await chart.getByTestId('window-1h').click();
    await expect(chart).toHaveAttribute('data-window', '1h');
    await expect(chart.getByTestId('window-1h')).toHaveAttribute('aria-pressed', 'true');
    await expect(chart).toContainText('over the last hour');
    await expect(chart.locator('path[data-node]')).toHaveCount(4);
    await chart.getByTestId('window-all').click();
    await expect(chart).toContainText('since the first indexed head');
    await expect(chart.locator('path[data-node]')).toHaveCount(4);
    for (const label of await chart.getByTestId('x-label').allTextContents()) expect(label).toMatch(/^\d\d:\d\d(:\d\d)?$/);
    await chart.screenshot({ path: testInfo.outputPath('height-chart-all.png') });
    await page.reload();
    await expect(chart).toHaveAttribute('data-window', 'all');
    await chart.getByTestId('window-5m').focus();
    await page.keyboard.press('Enter');
    await expect(chart).toHaveAttribute('data-window', '5m');
    await expect(chart.locator('path[data-node]')).toHaveCount(4);

    // Hover: a cursor and each node's height at that moment (near 'now'); the keyboard does the
    // same. On a fresh testnet the moment under the pointer may predate the first block (a row
    // reads "node-1 —"), so the pointer is moved again until time has reached it.
    await expect
      .poll(
        async () => {
          await page.mouse.move(0, 0);
          await hover(page, svg, 0.95);
          return chart.getByTestId('tooltip-row').allInnerTexts();
        },
        { timeout: 60_000, message: "each node's height under the pointer" },
      )
      .toEqual([expect.stringMatching(/^node-1 \d+$/), expect.stringMatching(/^node-2 \d+$/), expect.stringMatching(/^node-3 \d+$/), expect.stringMatching(/^node-4 \d+$/)]);
    await expect(chart.getByTestId('chart-cursor')).toBeAttached();
    await page.mouse.move(0, 0);
    await expect(chart.getByTestId('chart-tooltip')).toHaveCount(0);
    await svg.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(chart.getByTestId('tooltip-row')).toHaveCount(4);
    await page.keyboard.press('Escape');
    await expect(chart.getByTestId('chart-cursor')).toHaveCount(0);
    await svg.blur();

    // A 2|2 partition through the control API: an active band while it holds, and the lines part.
    await expect.poll(() => networkStatus(request), { timeout: 60_000 }).toBe('agreed');
    await partitionTwoByTwo(request);
    const band = chart.locator('[data-testid="fault-band"][data-kind="partition"]').last();
    await expect(band).toHaveAttribute('data-active', 'true');
    await expect.poll(() => networkStatus(request), { timeout: 60_000 }).toBe('forked');
    // Held until the band is wide enough to see (about 7 s of a 5-minute window), then checked.
    await expect.poll(async () => (await band.boundingBox())?.width ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(12);
    await expectReadableHeightLabels(chart);
    // Both sides grow at the same pace, so their lines overlap: the chart says so and links the
    // fork view. An even split has no main branch (no side flips between "in sync" and not).
    await expect(chart.getByTestId('chart-fork-note')).toContainText('split into branches of equal size');
    await chart.screenshot({ path: testInfo.outputPath('height-chart-partition.png') });
    await hover(page, band);
    await expect(chart.getByTestId('tooltip-fault').first()).toContainText('partition');
    await chart.screenshot({ path: testInfo.outputPath('height-chart-partition-hover.png') });
    await page.mouse.move(0, 0);

    // Heal: the band stays, as a past fault; the lines meet again.
    expect((await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth })).ok()).toBe(true);
    await expect(band).toHaveAttribute('data-active', 'false');
    await expect.poll(() => networkStatus(request), { timeout: 60_000 }).toBe('agreed');
    await expectReadableHeightLabels(chart);
    await expect(band.locator('title')).toContainText('partition');
    await expect(chart.getByTestId('chart-fork-note')).toHaveCount(0);
    await chart.screenshot({ path: testInfo.outputPath('height-chart-healed.png') });
  });
});
