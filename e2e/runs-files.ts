// What the run specs share: the recorded fixture runs (e2e/fixtures/runs) and importing a run
// file through the /runs page's file input, as a user does.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const FIXTURES = {
  poa: path.join(here, 'fixtures/runs/split-brain-poa.run.json'),
  bft: path.join(here, 'fixtures/runs/split-brain-bft.run.json'),
};

/** The fixture's run as recorded (the numbers the pages must show). */
export function fixture(engine: 'poa' | 'bft') {
  return (
    JSON.parse(readFileSync(FIXTURES[engine], 'utf8')) as {
      run: {
        name: string;
        faults: number;
        schedule: unknown[];
        verdict: { recoveries: Array<{ faultId: number; recoverySec: number | null }> };
      };
    }
  ).run;
}

/**
 * Imports a run file on /runs (the page must be signed in on this origin) and answers the
 * run's id on this instance, whether the import created it or found it already there.
 */
export async function importRunFile(page: Page, file: string, base = ''): Promise<number> {
  await page.goto(`${base}/runs`);
  await page.getByTestId('import-file').setInputFiles(file);
  const link = page.getByTestId('import-result-link');
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  const id = Number(/\/runs\/(\d+)$/.exec(href ?? '')?.[1]);
  expect(id, `import result link ${href}`).toBeGreaterThan(0);
  return id;
}
