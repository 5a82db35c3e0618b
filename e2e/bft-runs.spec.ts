// The run file round trip between two real instances: import the recorded PoA run into the PoA
// product, download its export from the run page as a user does, import the downloaded file
// into the BFT product (this project's baseURL) and see the same run page there: verdict,
// faults, recovery times and schedule. Runs in the 'bft' project (playwright.config.ts); the
// PoA product is the one on E2E_PORT.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './chaos-session.ts';
import { FIXTURES, importRunFile } from './runs-files.ts';

const POA_BASE = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

/** What must survive the round trip, as the run page shows it. */
async function runPage(page: Page) {
  await expect(page.getByTestId('fault-band').first()).toBeVisible();
  return {
    name: await page.getByTestId('run-name').textContent(),
    engine: await page.getByTestId('run-engine').textContent(),
    verdict: await page.getByTestId('verdict').getByTestId('verdict-badge').textContent(),
    checks: await page.getByTestId('verdict').locator('section').allTextContents(),
    faults: await page.getByTestId('fault-row').allTextContents(),
    bands: await page.getByTestId('fault-band').count(),
    recoveries: await page.getByTestId('fault-recovery').allTextContents(),
    schedule: await page.getByTestId('schedule-step').allTextContents(),
    alerts: await page.getByTestId('run-alert').count(),
  };
}

test('a run exported from one instance and imported into another shows the same run page', async ({ page }) => {
  // On the PoA product: import the fixture, open its page, download the export.
  await signIn(page, POA_BASE);
  const poaId = await importRunFile(page, FIXTURES.poa, POA_BASE);
  await page.goto(`${POA_BASE}/runs/${poaId}`);
  const before = await runPage(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-link').click()]);
  expect(download.suggestedFilename()).toBe(`split-brain-on-poa-vs-bft-run-${poaId}.run.json`);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);

  // On the BFT product (another instance, its own database): import the downloaded file.
  await signIn(page);
  const id = await importRunFile(page, file);
  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('run-imported')).toContainText('from a run file');
  const after = await runPage(page);
  expect(after).toEqual(before);
  expect(after.verdict).toBe('valid');
  expect(after.bands).toBe(2);
  expect(after.recoveries).toEqual(['1.1 s', '1.0 s']);
  // A PoA run shown on a BFT instance is still the PoA run.
  expect(after.engine).toContain('PoA');
  await page.screenshot({ path: test.info().outputPath('round-trip-run.png'), fullPage: true });
});
