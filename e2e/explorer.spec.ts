import { expect, test } from '@playwright/test';

test.describe('explorer', () => {
  test('the API lists blocks and every node', async ({ request }) => {
    await expect.poll(async () => ((await (await request.get('/api/blocks?limit=5')).json()) as { blocks: unknown[] }).blocks.length, { timeout: 60_000 }).toBe(5);
    const nodes = (await (await request.get('/api/nodes')).json()) as { nodes: { name: string; height: number | null }[] };
    expect(nodes.nodes.map((n) => n.name).sort()).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    const bad = await request.get('/api/blocks?limit=zero');
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_QUERY');
  });

  test('overview shows nodes and blocks, a new block arrives live, and a block opens', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    await expect(page.getByTestId('consensus-banner')).toContainText(/agree at height \d+/);
    const rows = page.getByTestId('block-row');
    await expect(rows.first()).toBeVisible();
    const firstHeight = Number(await rows.first().getAttribute('data-height'));

    // No reload: the table must grow on its own from live pushes.
    await expect.poll(async () => Number(await rows.first().getAttribute('data-height')), { timeout: 30_000 }).toBeGreaterThan(firstHeight);
    await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });

    // Pin the row by its height: another block may slide in on top before the click.
    const height = await rows.first().getAttribute('data-height');
    const newest = page.locator(`[data-testid="block-row"][data-height="${height}"]`).first();
    await newest.getByRole('link').first().click();
    await expect(page).toHaveURL(/\/blocks\/[0-9a-f]{64}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Block #${height}`);
    await expect(page.getByTestId('block-hash')).toHaveText(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: testInfo.outputPath('block.png'), fullPage: true });
  });

  test('a block that does not exist says so', async ({ page }) => {
    await page.goto('/blocks/99999999');
    await expect(page.getByRole('alert').filter({ hasText: 'is not in the index' })).toBeVisible();
  });
});
