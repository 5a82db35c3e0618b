// Propagation on the live PoA testnet (4 nodes on loopback): the block page draws a bar per
// node with its delay after the first receipt, and the overview shows the histogram, the
// per-node lateness table and the stale rate, all with the testnet's real numbers.
import { expect, test, type APIRequestContext } from '@playwright/test';
import path from 'node:path';
import type { BlockResponse, BlocksResponse, PropagationResponse } from '../wire/explorer-api.ts';

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
  // Total and buckets read in one go: the panel is live and may redraw between two reads.
  const { receipts, counted } = await panel.getByTestId('propagation-histogram').evaluate((el) => ({
    receipts: Number(el.getAttribute('data-receipts')),
    counted: [...el.querySelectorAll('[data-testid="propagation-bucket"]')].reduce((n, b) => n + Number(b.getAttribute('data-count')), 0),
  }));
  expect(receipts).toBeGreaterThan(0);
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

// playwright.config.ts starts the server with this CONTROL_TOKEN.
const auth = { authorization: 'Bearer e2e-control-token-0123456789' };

interface HealthJson {
  network: { status: string; forkHeight?: number };
  staleRate: { stale: number; blocks: number } | null;
}

test.describe('a fork leaves stale blocks', () => {
  test.afterAll(async ({ request }) => {
    // Whatever happened, leave the network whole for the next spec file.
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
  });

  test('after a 2|2 partition heals, the stale rate is above 0 and a stale block shows who received it', async ({ page, request }, testInfo) => {
    const health = async () => (await (await request.get('/api/health')).json()) as HealthJson;
    await expect.poll(async () => (await health()).network.status, { timeout: 60_000 }).toBe('agreed');
    const staleBefore = (await health()).staleRate?.stale ?? 0;
    const nodes = ((await (await request.get('/api/nodes')).json()) as { nodes: Array<{ id: string; name: string; height: number | null }> }).nodes.sort((a, b) =>
      a.name.localeCompare(b.name, undefined, { numeric: true }),
    );
    const applied = await request.post('/api/chaos', {
      data: {
        kind: 'partition',
        groups: [
          [nodes[0].id, nodes[1].id],
          [nodes[2].id, nodes[3].id],
        ],
      },
      headers: auth,
    });
    expect(applied.ok(), await applied.text()).toBe(true);
    // Both sides two blocks past the fork: one side's blocks lose when the partition heals.
    await expect
      .poll(
        async () => {
          const net = (await health()).network;
          if (net.status !== 'forked' || net.forkHeight === undefined) return `status ${net.status}`;
          const heights = ((await (await request.get('/api/nodes')).json()) as { nodes: Array<{ height: number | null }> }).nodes.map((n) => n.height ?? -1);
          return Math.min(...heights) >= net.forkHeight + 1 ? 'grown' : `heights ${heights.join(',')}, fork at ${net.forkHeight}`;
        },
        { timeout: 60_000 },
      )
      .toBe('grown');
    expect((await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth })).ok()).toBe(true);
    await expect.poll(async () => (await health()).network.status, { timeout: 60_000 }).toBe('agreed');
    await expect.poll(async () => (await health()).staleRate?.stale ?? 0, { timeout: 30_000, message: 'stale blocks after the heal' }).toBeGreaterThan(staleBefore);

    await page.goto('/');
    await expect(page.getByTestId('stale-rate')).toContainText(/heights: (0\.[1-9]|[1-9])\d*(\.\d)? % \([1-9]\d* of/);
    await page.getByTestId('propagation').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot('propagation-overview-after-fork.png', testInfo.outputPath('propagation-overview-after-fork.png')), fullPage: true });

    // A stale block: its page marks it orphaned and still shows the receipts of the side that had it.
    const blocks = (await (await request.get('/api/blocks?limit=100')).json()) as BlocksResponse;
    const stale = blocks.blocks.find((b) => b.orphaned)!;
    expect(stale, 'an orphaned block among the latest 100').toBeTruthy();
    await page.goto(`/blocks/${stale.hash}`);
    await expect(page.getByRole('heading', { name: /Block #\d+/ })).toContainText('orphaned');
    const bars = page.getByTestId('block-receipts').getByTestId('receipt');
    await expect(bars).toHaveCount(4);
    await expect(bars.first()).toContainText('first');
    await page.screenshot({ path: screenshot('propagation-stale-block.png', testInfo.outputPath('propagation-stale-block.png')), fullPage: true });
  });
});
