// The run pages against the real product: import the two recorded split-brain runs (same
// schedule and seed on PoA and on BFT) through the /runs page's file input, see both listed
// with engine and verdict, read each run page (verdict, one shaded band per fault, recovery
// times, what the chain did) and compare them side by side. Screenshots go into the test output.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './chaos-session.ts';
import { watchCsp } from './csp-watch.ts';
import { FIXTURES, fixture, importRunFile } from './runs-files.ts';

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: test.info().outputPath(name), fullPage: true });
}

test('signed out, the import control says where to sign in instead of offering a file input', async ({ page }) => {
  await page.goto('/runs');
  await expect(page.getByTestId('import-signin-hint')).toContainText('needs the control token: sign in above');
  await expect(page.getByTestId('import-file')).toHaveCount(0);
  await expect(page.getByTestId('runs-empty').or(page.getByTestId('runs-table'))).toBeVisible();
  await shot(page, 'runs-signed-out.png');
});

test('a file that is not a run file is refused with a reason, and nothing is imported', async ({ page }) => {
  await signIn(page);
  await page.goto('/runs');
  const input = page.getByTestId('import-file');
  await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('this is not json') });
  await expect(page.getByTestId('import-error')).toContainText('notes.json is not a run file (not JSON');
  // JSON, but not the run file format: the server's check answers why.
  await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'something-else/1', run: {} })) });
  await expect(page.getByTestId('import-error')).toContainText('format');
  await expect(page.getByTestId('import-result')).toHaveCount(0);
});

test('imported runs: list, run pages and the PoA-vs-BFT comparison', async ({ page }) => {
  // The charts and the import run under the pages' Content-Security-Policy without a violation.
  const csp = await watchCsp(page);
  await signIn(page);
  const poaId = await importRunFile(page, FIXTURES.poa);
  const bftId = await importRunFile(page, FIXTURES.bft);
  expect(bftId).not.toBe(poaId);

  // Importing the same file again finds the first copy.
  await page.getByTestId('import-file').setInputFiles(FIXTURES.poa);
  await expect(page.getByTestId('import-result')).toContainText('Already here');
  await expect(page.getByTestId('import-result-link')).toHaveAttribute('href', `/runs/${poaId}`);

  // The list: both runs, with engine, verdict and the imported marker.
  const poaRow = page.locator(`[data-testid="run-row"][data-run-id="${poaId}"]`);
  const bftRow = page.locator(`[data-testid="run-row"][data-run-id="${bftId}"]`);
  await expect(poaRow.getByTestId('run-engine')).toHaveText('POA');
  await expect(bftRow.getByTestId('run-engine')).toHaveText('BFT');
  for (const row of [poaRow, bftRow]) {
    await expect(row.getByTestId('verdict-badge')).toHaveText('valid');
    await expect(row.getByTestId('imported-marker')).toBeVisible();
    await expect(row).toContainText(fixture('poa').name);
  }
  await expect(poaRow).toContainText('1.0 s / 1.1 s');
  // The kind filter: both are experiments, so a scenario-only list leaves them out.
  await page.getByTestId('kind-filter').selectOption('scenario');
  await expect(poaRow).toHaveCount(0);
  await page.getByTestId('kind-filter').selectOption('experiment');
  await expect(poaRow).toBeVisible();
  await expect(bftRow).toBeVisible();
  await shot(page, 'runs-list.png');

  // The PoA run page.
  await poaRow.getByTestId('run-link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${poaId}$`));
  const poa = fixture('poa');
  await expect(page.getByTestId('verdict').getByTestId('verdict-badge')).toHaveText('valid');
  await expect(page.getByTestId('check-safety')).toContainText('one chain again after 2 of 2 judged heals');
  await expect(page.getByTestId('fault-band')).toHaveCount(poa.faults);
  await expect(page.getByTestId('recovery-span')).toHaveCount(poa.faults);
  await expect(page.getByTestId('fault-recovery')).toHaveText(['1.1 s', '1.0 s']);
  await expect(page.getByTestId('fault-row').first()).toContainText('split into 2 groups: node-1, node-2 | node-3, node-4 for 20 s');
  // Imported: its blocks are not in this index, so no fork-view link, and the page says why.
  await expect(page.getByTestId('fault-fork-link')).toHaveCount(0);
  await expect(page.getByTestId('imported-note')).toBeVisible();
  await expect(page.getByTestId('stat-reorgs')).toHaveText(/^4, deepest 10 blocks$/);
  await expect(page.getByTestId('stat-forks')).toContainText('up to 2 branches');
  // The chart marks what a height line cannot show: the forks (one strip per partition) and each reorg.
  await expect(page.getByTestId('fork-span')).toHaveCount(2);
  await expect(page.getByTestId('reorg-mark')).toHaveCount(4);
  await expect(page.getByTestId('schedule-step')).toHaveCount(poa.schedule.length);
  await expect(page.getByTestId('run-alert').first()).toContainText('Nodes diverged at height 7');
  await expect(page.getByTestId('run-alert').nth(1)).toContainText('reorganised 10 blocks deep (now at #16) (a one-off event)');
  await expect(page.getByTestId('export-link')).toHaveAttribute('href', `/api/runs/${poaId}/export`);
  await shot(page, 'run-poa.png');

  // The BFT run page: a finalized line, no reorgs, a stall at least as long as a partition.
  await page.goto(`/runs/${bftId}`);
  const bft = fixture('bft');
  await expect(page.getByTestId('fault-band')).toHaveCount(bft.faults);
  await expect(page.getByTestId('run-finalized-line')).toHaveCount(1);
  await expect(page.getByTestId('fault-recovery')).toHaveText(['1.5 s', '4.4 s']);
  await expect(page.getByTestId('stat-reorgs')).toHaveText('none');
  await expect(page.getByTestId('fork-span')).toHaveCount(0);
  await expect(page.getByTestId('stall-span')).toHaveCount(1);
  await expect(page.getByTestId('stat-stall')).toHaveText(/^(2\d|[3-9]\d)\.\d s without a finalized block$/);
  await shot(page, 'run-bft.png');

  // Compare: tick both on the list.
  await page.goto('/runs');
  await poaRow.getByTestId('run-pick').check();
  await bftRow.getByTestId('run-pick').check();
  await page.getByTestId('compare-link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${poaId}&b=${bftId}$`));
  await expect(page.getByTestId('schedule-match')).toContainText('Same schedule (2 steps at the same times), same seed 2026');
  await expect(page.getByTestId('cmp-a-engine')).toHaveText('POA');
  await expect(page.getByTestId('cmp-b-engine')).toHaveText('BFT');
  await expect(page.getByTestId('cmp-a-verdict')).toHaveText('valid');
  await expect(page.getByTestId('cmp-b-verdict')).toHaveText('valid');
  await expect(page.getByTestId('cmp-a-reorgs')).toHaveText('4, deepest 10 blocks');
  await expect(page.getByTestId('cmp-b-reorgs')).toHaveText('none');
  await expect(page.getByTestId('cmp-b-forks')).toContainText('never');
  await expect(page.getByTestId('cmp-b-stall')).toContainText('without a finalized block');
  await expect(page.getByTestId('pair-a')).toHaveText(['1.1 s', '1.0 s']);
  await expect(page.getByTestId('pair-b')).toHaveText(['1.5 s', '4.4 s']);
  await expect(page.getByTestId('compare-chart-a').getByTestId('fault-band')).toHaveCount(2);
  await expect(page.getByTestId('compare-chart-b').getByTestId('fault-band')).toHaveCount(2);
  await shot(page, 'runs-compare.png');
  expect(csp.violations).toEqual([]);
});
