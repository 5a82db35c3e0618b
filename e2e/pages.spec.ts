// Every explorer page against the real product: a 4-node testnet at 500 ms blocks. Each test
// saves a full-page screenshot of what it checked into the test output.
import { expect, test, type Page } from '@playwright/test';

interface NodeJson {
  id: string;
  name: string;
}

/** The node of that name once the control plane lists it (right after start-up it may not yet). */
async function nodeNamed(page: Page, name: string): Promise<NodeJson> {
  let found: NodeJson | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/nodes');
        found = ((await res.json()) as { nodes: NodeJson[] }).nodes.find((n) => n.name === name);
        return found !== undefined;
      },
      { timeout: 60_000, message: `${name} listed by /api/nodes` },
    )
    .toBe(true);
  return found!;
}

/** Wait until the testnet has produced blocks with transactions in them. */
async function blockWithTxs(page: Page): Promise<{ hash: string; height: number }> {
  let found: { hash: string; height: number } | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get('/api/blocks?limit=20')).json()) as { blocks: Array<{ hash: string; height: number; txCount: number; orphaned: boolean }> };
        found = body.blocks.find((b) => b.txCount > 0 && !b.orphaned && b.height > 2);
        return Boolean(found);
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return found!;
}

test.describe('explorer pages', () => {
  test('overview: every node, a height chart and an event feed that move by themselves', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    const chart = page.getByTestId('height-chart');
    await expect(chart.locator('path[data-node]')).toHaveCount(4);
    await expect(page.getByTestId('event-feed').getByTestId('feed-line').first()).toBeVisible();

    // Live, without a reload: the newest feed line and node-1's height change.
    const firstLine = await page.getByTestId('feed-line').first().innerText();
    const height = Number(await page.getByTestId('node-height').first().innerText());
    await expect.poll(async () => Number(await page.getByTestId('node-height').first().innerText()), { timeout: 20_000 }).toBeGreaterThan(height);
    await expect.poll(async () => page.getByTestId('feed-line').first().innerText(), { timeout: 20_000 }).not.toBe(firstLine);
    await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });

    // A node's name leads to its page.
    await page.getByTestId('node-row').first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/nodes\/[^/]+$/);
    await expect(page.getByTestId('node-detail')).toBeVisible();
  });

  test('blocks list → block → transaction → back', async ({ page }, testInfo) => {
    const target = await blockWithTxs(page);
    await page.goto('/blocks');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Blocks');
    await expect(page.getByTestId('block-row').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('blocks.png'), fullPage: true });

    // Older pages follow the cursor.
    await page.getByTestId('older-blocks').first().click();
    await expect(page).toHaveURL(/\/blocks\?before=\d+$/);
    await expect(page.getByTestId('block-row').first()).toBeVisible();

    await page.goto(`/blocks?before=${target.height + 1}`);
    const row = page.locator(`[data-testid="block-row"][data-hash="${target.hash}"]`);
    await row.getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/blocks/${target.hash}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Block #${target.height}`);
    await page.screenshot({ path: testInfo.outputPath('block.png'), fullPage: true });

    const txLink = page.getByTestId('tx-link').first();
    await txLink.click();
    await expect(page).toHaveURL(/\/txs\/[0-9a-f]{64}$/);
    await expect(page.getByTestId('tx-hash')).toHaveText(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId('tx-block-link')).toContainText(`#${target.height}`);
    await page.screenshot({ path: testInfo.outputPath('tx.png'), fullPage: true });

    await page.goBack();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Block #${target.height}`);
    await page.getByTestId('tx-link').first().click();
    await page.getByTestId('tx-block-link').click();
    await expect(page).toHaveURL(new RegExp(`/blocks/${target.hash}$`));
  });

  test('the first page of blocks offers new blocks instead of shifting under a reader who scrolled', async ({ page }) => {
    await blockWithTxs(page);
    await page.setViewportSize({ width: 1280, height: 500 });
    await page.goto('/blocks');
    const rows = page.getByTestId('block-row');
    await expect(rows.first()).toBeVisible();
    // At the top, new blocks arrive in place.
    const top = Number(await rows.first().getAttribute('data-height'));
    await expect.poll(async () => Number(await rows.first().getAttribute('data-height')), { timeout: 20_000 }).toBeGreaterThan(top);

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const held = Number(await rows.first().getAttribute('data-height'));
    const button = page.getByTestId('show-new-blocks');
    await expect(button).toBeVisible({ timeout: 20_000 });
    await expect(button).toHaveText(/\d+ new blocks? — show/);
    expect(Number(await rows.first().getAttribute('data-height'))).toBe(held);
    await button.click();
    await expect(button).toBeHidden();
    await expect.poll(async () => Number(await rows.first().getAttribute('data-height'))).toBeGreaterThan(held);
  });

  test('search finds a height, a block hash, a transaction and a node, and says when nothing matches', async ({ page }) => {
    const target = await blockWithTxs(page);
    const detail = (await (await page.request.get(`/api/blocks/${target.hash}`)).json()) as { block: { txs: Array<{ hash: string }> } };
    const search = async (q: string) => {
      await page.getByTestId('search-input').fill(q);
      await page.getByTestId('search-input').press('Enter');
    };

    await page.goto('/peers'); // the box is in the header of every page
    await search(String(target.height));
    await expect(page).toHaveURL(new RegExp(`/blocks/${target.height}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Block #${target.height}`);

    await search(target.hash);
    await expect(page).toHaveURL(new RegExp(`/blocks/${target.hash}$`));

    await search(detail.block.txs[0].hash);
    await expect(page).toHaveURL(new RegExp(`/txs/${detail.block.txs[0].hash}$`));
    await expect(page.getByTestId('tx-detail')).toBeVisible();

    await search('node-2');
    await expect(page).toHaveURL(/\/nodes\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('node-2');

    await search('no-such-thing-anywhere');
    await expect(page.getByTestId('search-not-found')).toContainText('Nothing found for “no-such-thing-anywhere”');
    await expect(page).toHaveURL(/\/nodes\/[^/]+$/);
  });

  test('fork view draws the block tree with every node tip, details on click, and travels in time', async ({ page }, testInfo) => {
    await blockWithTxs(page);
    await page.goto('/forks');
    const graph = page.getByTestId('fork-graph');
    await expect(graph).toBeVisible();
    await expect(page.getByTestId('tip-row')).toHaveCount(4);
    await expect(graph.getByTestId('fork-tip')).toHaveCount(4);
    expect(await graph.getByTestId('fork-block').count()).toBeGreaterThan(5);
    await expect(page.getByTestId('fork-summary')).toContainText('4 node heads');

    await graph.getByTestId('fork-block').nth(2).click();
    await expect(page.getByTestId('fork-details')).toContainText('Block #');
    await expect(page.getByTestId('fork-details-link')).toHaveAttribute('href', /\/blocks\/[0-9a-f]{64}$/);
    await page.screenshot({ path: testInfo.outputPath('forks.png'), fullPage: true });

    await page.getByRole('button', { name: '−10 s' }).click();
    await expect(page.getByTestId('time-slider-value')).toContainText('as of');
    await expect(page.getByTestId('tip-row')).toHaveCount(4);
    await page.getByTestId('go-live').click();
    await expect(page.getByTestId('time-slider-value')).toContainText('live');
  });

  test('peers page draws four nodes and their links, with per-link metrics', async ({ page }, testInfo) => {
    await page.goto('/peers');
    await expect(page.getByTestId('peer-node')).toHaveCount(4);
    // A full mesh of 4 nodes: 6 links, each reported by both of its ends (12 rows). The peer
    // poller fills them in within seconds, so wait for that state, not the first snapshot.
    await expect(page.getByTestId('peer-link')).toHaveCount(6, { timeout: 30_000 });
    await expect(page.getByTestId('peer-row')).toHaveCount(12, { timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath('peers.png'), fullPage: true });

    await page.getByTestId('peer-node').first().click();
    await expect(page.getByRole('heading', { name: /^Links of node-1/ })).toBeVisible();
  });

  test('node page shows health history, peers and head history', async ({ page }, testInfo) => {
    const node = await nodeNamed(page, 'node-1');
    await page.goto(`/nodes/${node.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('node-1');
    await expect(page.getByTestId('node-status')).toBeVisible();
    // Histories fill in as the node's health events (every 5 s) are indexed and the page
    // refetches (every 10 s): right after start-up on a busy machine that can take a while.
    const history = { timeout: 60_000 };
    await expect(page.getByTestId('node-health')).toBeVisible(history);
    await expect(page.getByTestId('health-samples').locator('tbody tr').first()).toBeVisible(history);
    await expect(page.getByTestId('peer-table').locator('tbody tr')).toHaveCount(3, history);
    await expect(page.getByTestId('head-history').locator('tbody tr').first()).toBeVisible(history);
    await page.screenshot({ path: testInfo.outputPath('node.png'), fullPage: true });
  });

  test('unknown transactions and nodes are explained, not shown as errors', async ({ page }) => {
    await page.goto(`/txs/${'0'.repeat(64)}`);
    await expect(page.getByRole('alert').filter({ hasText: 'is not in the index' })).toBeVisible();
    await page.goto('/nodes/no-such-node');
    await expect(page.getByRole('alert').filter({ hasText: 'There is no node' })).toBeVisible();
  });
});
