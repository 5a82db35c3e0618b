// The consensus page on the PoA product: it says this engine has no rounds, and lists each
// node's next height and slot proposer (no vote grid, no evidence: PoA does not vote).
import { expect, test } from '@playwright/test';
import path from 'node:path';

test('PoA: the consensus page says there are no rounds and lists the nodes; the height chart has no finalized line', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Consensus' }).click();
  await expect(page).toHaveURL(/\/consensus$/);
  await expect(page.getByTestId('no-rounds')).toContainText('no rounds');
  await expect(page.getByTestId('vote-grid')).toHaveCount(0);
  await expect(page.getByTestId('consensus-nodes').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('consensus-nodes')).toContainText('Proposer of the current slot');
  await expect(page.getByTestId('evidence-empty')).toHaveCount(0);
  const dir = process.env.E2E_SCREENS_DIR;
  await page.screenshot({ path: dir ? path.join(dir, 'poa-consensus.png') : testInfo.outputPath('poa-consensus.png'), fullPage: true });
  // PoA has no finality: the overview's height chart draws no finalized line.
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('height-chart').locator('path[data-node]').first()).toBeAttached();
  await expect(page.getByTestId('finalized-line')).toHaveCount(0);
});
