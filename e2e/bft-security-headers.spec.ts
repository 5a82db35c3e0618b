// The BFT product's own views under the page policy (project 'bft'): the consensus page's vote
// grid and round timeline colour their cells with style attributes, the fork tree and height
// chart draw finality; none may raise a Content Security Policy violation.
import { expect, test } from '@playwright/test';
import { expectPagePolicy, watchCsp } from './csp-watch.ts';

test('BFT: consensus, forks and overview run under the page policy without a violation', async ({ page }, testInfo) => {
  const watch = await watchCsp(page);
  expectPagePolicy((await page.goto('/consensus'))!);
  await expect(page.getByTestId('vote-grid').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('timeline-round').first()).toBeVisible();
  const height = page.getByTestId('consensus-height');
  const first = Number(await height.getAttribute('data-height'));
  await expect.poll(async () => Number(await height.getAttribute('data-height')), { timeout: 30_000 }).toBeGreaterThan(first);
  await page.screenshot({ path: testInfo.outputPath('bft-consensus-under-csp.png'), fullPage: true });

  expectPagePolicy((await page.goto('/forks'))!);
  await expect(page.locator('[data-testid="fork-block"][data-finalized="true"]').first()).toBeVisible();

  expectPagePolicy((await page.goto('/'))!);
  await expect(page.getByTestId('finalized-line')).toBeAttached();
  await expect(page.getByRole('banner').getByTestId('live-indicator')).toHaveText('● live');
  expect(watch.violations).toEqual([]);
});
