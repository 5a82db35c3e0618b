// Propagation on the live PoA testnet (4 nodes on loopback): the block page draws a bar per
// node with its delay after the first receipt, and the overview shows the histogram, the
// per-node lateness table and the stale rate, all with the testnet's real numbers.
import { expect, test, type APIRequestContext } from '@playwright/test';
import path from 'node:path';
import type { BlockResponse, PropagationResponse } from '../wire/explorer-api.ts';

const screenshot = (name: string, fallback: string) => {
  const dir = process.env.E2E_SCREENS_DIR;
  return dir ? path.join(dir, name) : fallback;
};

async function propagation(request: APIRequestContext): Promise<PropagationResponse> {
  return (await (await request.get('/api/propagation?blocks=100')).json()) as PropagationResponse;
}

test('the block page shows a bar per node; the overview shows the propagation histogram, lateness and stale rate', async ({ page, request }, testInfo) => {
  // Wait for a few blocks that every node received live.
  await expect
    .poll(
      async () => {
        const p = await propagation(request);
        return p.nodes.filter((n) => n.received >= 3).length;
      },
      { timeout: 60_000, message: 'every node has receipts' },
    )
    .toBe(4);

  // A block a few heights down, once every node's receipt of it is indexed.
  const p = await propagation(request);
  const height = p.toHeight! - 2;
  let hash = '';
  await expect
    .poll(
      async () => {
        const { block } = (await (await request.get(`/api/blocks/${height}`)).json()) as BlockResponse;
        hash = block.hash;
        return block.receipts.filter((r) => r.acceptedAt !== null).length;
      },
      { timeout: 30_000, message: `receipts of block ${height} from every node` },
    )
    .toBe(4);
  await page.goto(`/blocks/${hash}`);
  const bars = page.getByTestId('block-receipts').getByTestId('receipt');
  await expect(bars).toHaveCount(4);
  const delays = await bars.evaluateAll((els) => els.map((el) => el.getAttribute('data-after-ms')));
  expect(
    delays.every((d) => d !== '' && Number.isFinite(Number(d)) && Number(d) >= 0 && Number(d) < 10_000),
    `delays ${delays.join(', ')}`,
  ).toBe(true);
  expect(delays.filter((d) => Number(d) === 0)).toHaveLength(1);
  await expect(bars.first()).toContainText('first');
  await expect(bars.nth(1)).toContainText(/\+\d/);
  await page.getByTestId('block-receipts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('propagation-block.png', testInfo.outputPath('propagation-block.png')), fullPage: true });

  await page.goto('/');
  const panel = page.getByTestId('propagation');
  await expect(panel.getByTestId('propagation-histogram')).toBeVisible();
  const receipts = Number(await panel.getByTestId('propagation-histogram').getAttribute('data-receipts'));
  expect(receipts).toBeGreaterThan(0);
  const counted = await panel.getByTestId('propagation-bucket').evaluateAll((els) => els.reduce((n, el) => n + Number(el.getAttribute('data-count')), 0));
  expect(counted).toBe(receipts);
  const rows = panel.getByTestId('lateness-table').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  const medians = await panel.getByTestId('lateness-median').evaluateAll((els) => els.map((el) => el.getAttribute('data-ms')));
  expect(
    medians.every((m) => m !== '' && Number(m) >= 0 && Number(m) < 10_000),
    `medians ${medians.join(', ')}`,
  ).toBe(true);
  await expect(panel.getByTestId('lateness-p95').first()).toContainText(/\d+(\.\d+)? m?s/);
  await expect(panel.getByTestId('stale-rate')).toContainText(/Stale rate over the last 100 heights: \d+(\.\d)? % \(\d+ of \d+ blocks at heights \d+–\d+\)/);
  await expect(panel.getByTestId('stale-rate')).toHaveAttribute('title', /lost a fork/);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('propagation-overview.png', testInfo.outputPath('propagation-overview.png')), fullPage: true });

  // /api/health carries the same stale rate's window.
  const health = (await (await request.get('/api/health')).json()) as { staleRate: { heights: number; blocks: number } | null };
  expect(health.staleRate?.heights).toBe(100);
  expect(health.staleRate!.blocks).toBeGreaterThan(0);
});
