// The explorer over the BFT product (project 'bft': CONSENSUS=bft, 4 validators, 500 ms
// blocks): the consensus page shows the live round and vote grid and a commit moving the
// height on, the timeline, the evidence section's empty state and the decided heights; the
// fork tree marks finalized blocks and each node's finalized tip; the height chart draws the
// finalized line. Screenshots of each go into the test output (and E2E_SCREENS_DIR when set).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import path from 'node:path';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENS_DIR;
  await page.screenshot({ path: dir ? path.join(dir, name) : testInfo.outputPath(name), fullPage: true });
}

test.describe('BFT explorer', () => {
  test('consensus page: live vote grid, a commit moves the height on, rounds, evidence and decided heights', async ({ page }, testInfo) => {
    await page.goto('/consensus');
    await expect(page.getByRole('link', { name: 'Consensus' })).toHaveAttribute('aria-current', 'page');
    const height = page.getByTestId('consensus-height');
    await expect(height).toBeVisible();
    const first = Number(await height.getAttribute('data-height'));
    // A commit: the height being decided moves on, with no reload (live notices or polling).
    await expect.poll(async () => Number(await height.getAttribute('data-height')), { timeout: 30_000 }).toBeGreaterThan(first);

    const grid = page.getByTestId('vote-grid');
    await expect(grid.locator('tbody tr')).toHaveCount(4);
    await expect(grid.locator('tbody tr').first()).toContainText('node-');
    await expect(page.getByTestId('timeline-round').first()).toBeVisible();
    await expect(page.getByTestId('round-outcome').first()).not.toBeEmpty();
    // The votes move with the chain: the commit column (whose precommits decided the newest
    // indexed height) moves on to a later height, each time with a quorum (3 of 4) of ticks.
    // (The current height's own votes come in a ~50 ms burst per block: waiting to catch one
    // would be luck, not a condition; the grid's cells are unit-tested in consensusModel.test.ts.)
    const commitHeight = grid.getByTestId('previous-commit-height');
    await expect(commitHeight).toBeVisible();
    const decided = Number(await commitHeight.getAttribute('data-height'));
    await expect.poll(async () => Number(await commitHeight.getAttribute('data-height')), { timeout: 30_000 }).toBeGreaterThan(decided);
    await expect.poll(async () => grid.locator('[data-testid="previous-commit-cell"][data-signed="true"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

    await expect(page.getByTestId('consensus-nodes').locator('tbody tr')).toHaveCount(4);
    await expect(page.getByTestId('evidence-empty')).toContainText('No equivocation detected');
    await expect(page.getByTestId('decided-heights').locator('tbody tr').first()).toBeVisible();
    await expect(page.getByTestId('decided-heights')).toContainText('of 4');
    await shot(page, testInfo, 'bft-consensus.png');
  });

  test("fork tree marks finalized blocks and each node's finalized tip", async ({ page }, testInfo) => {
    await page.goto('/forks');
    await expect(page.locator('[data-testid="fork-block"][data-finalized="true"]').first()).toBeVisible();
    await expect(page.getByTestId('fork-final-rail').first()).toBeVisible();
    await expect.poll(async () => page.getByTestId('fork-finality').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId('fork-finality-summary')).toContainText('Finality:');
    await expect(page.locator('.fork-legend')).toContainText('finalized');
    await shot(page, testInfo, 'bft-forks.png');
  });

  test('height chart draws the finalized line beside the node heights', async ({ page }, testInfo) => {
    await page.goto('/');
    const chart = page.getByTestId('height-chart');
    await expect(chart.getByTestId('finalized-line')).toBeAttached();
    await expect(chart.getByTestId('finalized-legend')).toContainText('finalized');
    await shot(page, testInfo, 'bft-overview.png');
  });
});
