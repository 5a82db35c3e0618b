// The peers page telling the truth, and holding up at size, on the 4-node product: the link
// matrix (shown on demand at 4 nodes, leading above 8), a 2|2 partition drawn as blocked cells
// and counted as 1 peer per node, a cell's details from both ends, the per-node groups opening
// and closing (by their heading, or by a matrix row's name), and the table's last column inside
// a 1,366 px window.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { partitionTwoByTwo, TOKEN } from './chaos-session.ts';

const auth = { authorization: `Bearer ${TOKEN}` };

const cells = (page: Page, state: string) => page.locator(`[data-testid="matrix-cell"][data-state="${state}"]`);

test.describe('peers at size', () => {
  test.afterAll(async ({ request }) => {
    // Whatever happened, leave the network whole for the next spec file.
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
  });

  test('a 2|2 partition: blocked cells, 1 peer per node, both ends of a link, groups, 1,366 px', async ({ page, request }, testInfo) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/peers');
    await page.getByTestId('view-matrix').click();
    await expect(page.getByTestId('link-matrix')).toHaveAttribute('data-nodes', '4');
    // The chosen view's button reads as chosen, and its label stays readable (it once had the
    // accent colour for both text and background).
    const chosen = page.getByTestId('view-matrix');
    await expect(chosen).toHaveAttribute('aria-pressed', 'true');
    const ink = await chosen.evaluate((e) => ({ text: getComputedStyle(e).color, background: getComputedStyle(e).backgroundColor }));
    expect(ink.text).not.toBe(ink.background);
    await expect(page.getByTestId('matrix-cell')).toHaveCount(12);
    await expect(cells(page, 'connected')).toHaveCount(12);
    await expect(page.getByTestId('peers-counted')).toHaveText('every node: 3 peers carrying traffic');

    // At 1,366 px the table's last column is inside the window, not scrolled off.
    const lastHeader = page.getByTestId('peer-table').first().locator('th').last();
    await expect(lastHeader).toBeVisible();
    const box = (await lastHeader.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1366);

    const id = await partitionTwoByTwo(request);

    // The 8 links across the cut: blocked once their last traffic is two keep-alive periods old.
    await expect(cells(page, 'blocked')).toHaveCount(8, { timeout: 45_000 });
    await expect(cells(page, 'connected')).toHaveCount(4);
    await expect(page.getByTestId('peers-counted')).toHaveText('every node: 1 peer carrying traffic');
    const cell = page.locator('[data-testid="matrix-cell"][data-row="node-1"][data-col="node-3"]');
    await expect(cell).toHaveAttribute('data-state', 'blocked');

    // A cell's details: the link as both of its ends report it, each blocked by the partition.
    await cell.click();
    const details = page.getByTestId('link-details');
    await expect(details.getByTestId('peer-row')).toHaveCount(2);
    await expect(details.getByTestId('peer-state')).toHaveText([`blocked by partition #${id}`, `blocked by partition #${id}`]);

    // The groups: node-1's own reports, one peer carrying traffic and two blocked.
    const group = page.locator('[data-testid="peer-group"][data-node="node-1"]');
    await expect(group.getByTestId('peer-group-counts')).toHaveText('1 peer · 2 blocked');
    await expect(group.getByTestId('peer-row')).toHaveCount(3);
    await group.getByRole('button', { expanded: true }).click();
    await expect(group.getByTestId('peer-row')).toHaveCount(0);
    await group.getByRole('button', { expanded: false }).click();
    await expect(group.getByTestId('peer-row')).toHaveCount(3);
    // A matrix row's name opens that node's group.
    const group3 = page.locator('[data-testid="peer-group"][data-node="node-3"]');
    await group3.getByRole('button', { expanded: true }).click();
    await expect(group3).toHaveAttribute('data-open', 'false');
    await page.getByTestId('matrix-row-label').filter({ hasText: 'node-3' }).click();
    await expect(group3).toHaveAttribute('data-open', 'true');
    await expect(group3.getByTestId('peer-row')).toHaveCount(3);
    const lastCell = group.getByTestId('peer-reason').last();
    const cellBox = (await lastCell.boundingBox())!;
    expect(cellBox.x + cellBox.width).toBeLessThanOrEqual(1366);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: testInfo.outputPath('peers-matrix-partitioned.png'), fullPage: true });

    const healed = await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
    expect(healed.ok(), await healed.text()).toBe(true);
    await expect(cells(page, 'connected')).toHaveCount(12, { timeout: 45_000 });
    await expect(page.getByTestId('peers-counted')).toHaveText('every node: 3 peers carrying traffic');
  });
});
