// The chaos page over the BFT product (project 'bft'): the Byzantine validators panel makes
// node-4 withhold its votes for a while (after a confirmation that says what f of 3f + 1
// means), the active faults list it and the panel names the byzantine node, the chain keeps
// committing with 3 of 4, and "heal everything" makes it honest again. Withholding leaves no
// equivocation evidence, so the consensus spec's empty evidence state holds whatever the order.
import { expect, test } from '@playwright/test';
import { TOKEN, signIn } from './chaos-session.ts';

test.describe('BFT chaos', () => {
  test.afterAll(async ({ request }) => {
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: { authorization: `Bearer ${TOKEN}` } });
  });

  test('make a validator withhold its votes from the Byzantine panel, see it listed and the chain go on, heal it', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await signIn(page);
    const panel = page.getByTestId('byzantine-faults');
    await expect(panel).toContainText('Byzantine validators');
    await panel.getByTestId('byzantine-node').selectOption({ label: 'node-4' });
    await panel.getByTestId('byzantine-kind').selectOption({ label: 'Withhold votes' });
    await panel.getByLabel('For (seconds)').fill('120');
    await panel.getByTestId('byzantine-apply').click();
    const dialog = page.getByRole('dialog', { name: 'Make node-4 byzantine?' });
    await expect(dialog).toContainText('sends no votes');
    await expect(dialog).toContainText('one byzantine validator of four');
    await dialog.getByRole('button', { name: 'Withhold votes' }).click();

    const fault = page.locator('[data-testid="active-fault"][data-kind="withhold-votes"]');
    await expect(fault).toContainText('make node-4 withhold its votes');
    await expect(panel).toContainText('Now byzantine: node-4 (withhold-votes)');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: testInfo.outputPath('bft-chaos-withholding.png'), fullPage: true });

    // Three of four still make a quorum: the network keeps finalizing.
    const health = async () => (await (await page.request.get('/api/health')).json()) as { network: { finalizedHeight?: number | null } };
    const from = (await health()).network.finalizedHeight ?? 0;
    await expect.poll(async () => (await health()).network.finalizedHeight ?? 0, { timeout: 30_000 }).toBeGreaterThan(from + 2);

    await page.getByTestId('heal-everything').click();
    await page.getByRole('dialog', { name: 'Heal everything?' }).getByRole('button', { name: 'Heal everything' }).click();
    await expect(page.getByTestId('active-fault')).toHaveCount(0);
    await expect(panel).not.toContainText('Now byzantine');
    const row = page.getByTestId('chaos-history').locator('[data-testid="history-row"][data-kind="withhold-votes"]').first();
    await expect(row).toHaveAttribute('data-status', 'reverted');
  });
});
