// A run recorded on this instance (started through POST /api/runs, as the Start panel does):
// its page links each fault to the fork view at that moment, and the fork view there shows the
// partition in force. An imported run cannot do this (its blocks are in another index); this is
// the one place the link is exercised. The experiment really runs (a short one posted whole:
// one 2|2 partition of 8 s in a 20 s run, about 30 s with the recovery wait).
import { expect, test } from '@playwright/test';
import { TOKEN } from './chaos-session.ts';

interface RunJson {
  id: number;
  status: string;
  faults: number;
  importedAt: number | null;
}

test('a run recorded here links each fault to the fork view at that moment', async ({ page, request }) => {
  test.setTimeout(240_000);
  const experiment = {
    name: 'short split-brain',
    durationSec: 20,
    schedule: {
      kind: 'steps',
      steps: [
        {
          at: 3,
          do: {
            kind: 'partition',
            groups: [
              ['node-1', 'node-2'],
              ['node-3', 'node-4'],
            ],
            durationSec: 8,
          },
        },
      ],
    },
    checks: { recoveryBoundSec: 30 },
  };
  const started = await request.post('/api/runs', { data: { experiment, seed: 2026 }, headers: { authorization: `Bearer ${TOKEN}` } });
  expect(started.status(), await started.text()).toBe(201);
  const { run } = (await started.json()) as { run: RunJson };
  expect(run.importedAt).toBeNull();

  // Its page while it runs, then finished with its verdict.
  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId('run-status')).toContainText('finished', { timeout: 200_000 });
  await expect(page.getByTestId('fault-band')).toHaveCount(1);
  await expect(page.getByTestId('run-imported')).toContainText('recorded on this instance');
  const links = page.getByTestId('fault-fork-link');
  await expect(links).toHaveCount(1);
  await expect(page.getByTestId('imported-note')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('run-local.png'), fullPage: true });

  // The first fault's link: the fork view just before its heal, with the partition in force.
  const href = await links.first().getAttribute('href');
  expect(href).toMatch(/^\/forks\?at=\d+$/);
  await links.first().click();
  await expect(page).toHaveURL(/\/forks\?at=\d+$/);
  const strip = page.getByTestId('fork-faults');
  await expect(strip).toHaveAttribute('data-mode', 'past');
  await expect(strip.locator('[data-testid="fork-fault"][data-kind="partition"]')).toHaveCount(1);
  // A PoA partition: the two halves on two branches at that moment.
  await expect(page.getByTestId('fork-summary')).toContainText('on 2 branches');
  await page.screenshot({ path: test.info().outputPath('fork-view-from-run.png'), fullPage: true });
});
