// The chaos page against the real product (4 local nodes, 500 ms blocks): sign in with the
// control token, partition the network 2|2 from the builder, watch the verdict say "Forked",
// heal everything, watch it agree again, and find both actions in the history. Each state is
// saved as a full-page screenshot into the test output.
import { expect, test, type Page } from '@playwright/test';
import { TOKEN, signIn } from './chaos-session.ts';

async function shot(page: Page, path: string) {
  // From the top: the verdict banner is sticky and would otherwise be drawn mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
}

test.describe('chaos', () => {
  test.afterAll(async ({ request }) => {
    // Whatever happened above, leave the network whole for the next spec file.
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: { authorization: `Bearer ${TOKEN}` } });
  });

  test('the control API refuses a request without a session (401) and a wrong token (403)', async ({ request }) => {
    const noCookie = await request.post('/api/chaos', { data: { kind: 'heal' } });
    expect(noCookie.status()).toBe(401);
    expect(((await noCookie.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await request.post('/api/chaos', { data: { kind: 'heal' }, headers: { authorization: 'Bearer not-the-token' } })).status()).toBe(403);
    expect(await (await request.get('/api/session')).json()).toEqual({ authorised: false });
  });

  test('sign in, partition 2|2, see the fork, heal everything, see agreement and the history', async ({ page, context }, testInfo) => {
    test.setTimeout(180_000);
    await page.goto('/chaos');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chaos');
    const banner = page.getByTestId('consensus-banner');
    await expect(banner).toHaveAttribute('data-status', 'agreed', { timeout: 60_000 });

    // Signed out: the sign-in form and where to find the token; no controls.
    const signin = page.getByTestId('signin');
    await expect(signin).toBeVisible();
    await expect(signin).toContainText('Where is the token?');
    await expect(signin).toContainText('npm start');
    await expect(page.getByTestId('partition-builder')).toHaveCount(0);
    await expect(page.getByTestId('heal-everything')).toHaveCount(0);
    await shot(page, testInfo.outputPath('chaos-1-signed-out.png'));

    // A wrong token is refused with the server's message.
    const tokenInput = page.getByLabel('Control token', { exact: true });
    await expect(tokenInput).toHaveAttribute('type', 'password');
    await tokenInput.fill('definitely-not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-error')).toContainText('wrong control token');
    await expect(page.getByTestId('session-bar')).toHaveCount(0);
    await shot(page, testInfo.outputPath('chaos-2-wrong-token.png'));

    // The right one signs in; the token is then nowhere in the page, and the cookie is httpOnly.
    await tokenInput.fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('session-bar')).toContainText('signed in');
    await expect(page.getByTestId('signin')).toHaveCount(0);
    expect(await page.content()).not.toContain(TOKEN);
    expect(await page.evaluate(() => document.cookie)).not.toContain(TOKEN);
    expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toContain(TOKEN);
    const session = (await context.cookies()).find((c) => c.name === 'control_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');

    // Byzantine faults need an engine with votes: on PoA the panel says how to get one.
    await expect(page.getByTestId('byzantine-faults')).toContainText('CONSENSUS=bft npm start');
    await expect(page.getByTestId('byzantine-apply')).toHaveCount(0);

    // The builder validates before sending: one group is not a partition.
    const builder = page.getByTestId('partition-builder');
    const selects = builder.getByTestId('partition-select');
    await expect(selects).toHaveCount(4);
    await selects.nth(0).selectOption({ label: 'group A' });
    await builder.getByTestId('partition-apply').click();
    await expect(builder).toContainText('a partition needs at least two groups');
    await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);

    // 2|2: node-1, node-2 in A; node-3, node-4 in B (the chips are ordered by name).
    await selects.nth(1).selectOption({ label: 'group A' });
    await selects.nth(2).selectOption({ label: 'group B' });
    await selects.nth(3).selectOption({ label: 'group B' });
    await expect(builder.locator('[data-group="A"] [data-testid="partition-chip"]')).toHaveCount(2);
    await expect(builder.locator('[data-group="B"] [data-testid="partition-chip"]')).toHaveCount(2);
    await shot(page, testInfo.outputPath('chaos-3-signed-in-builder.png'));

    // Applying asks first; Cancel sends nothing.
    await builder.getByTestId('partition-apply').click();
    const dialog = page.getByRole('dialog', { name: 'Partition the network?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Group A: node-1, node-2');
    await expect(dialog).toContainText('Group B: node-3, node-4');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.screenshot({ path: testInfo.outputPath('chaos-4-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('active-fault')).toHaveCount(0);

    await builder.getByTestId('partition-apply').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Partition' }).click();
    await expect(builder.getByTestId('partition-outcome')).toContainText('partition applied');
    await expect(page.locator('[data-testid="active-fault"][data-kind="partition"]')).toBeVisible();
    await expect(banner).toContainText('Forked', { timeout: 60_000 });
    await expect(banner).toHaveAttribute('data-status', 'forked');
    await shot(page, testInfo.outputPath('chaos-5-forked.png'));
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, testInfo.outputPath('chaos-5-forked-narrow.png'));
    await page.setViewportSize({ width: 1280, height: 720 });

    // Heal everything (confirmed) and the nodes agree again.
    await page.getByTestId('heal-everything').click();
    const healDialog = page.getByRole('dialog', { name: 'Heal everything?' });
    await expect(healDialog).toBeVisible();
    await healDialog.getByRole('button', { name: 'Heal everything' }).click();
    await expect(page.getByTestId('active-fault')).toHaveCount(0);
    await expect(banner).toContainText('agree', { timeout: 60_000 });
    await expect(banner).toHaveAttribute('data-status', 'agreed');

    // The history lists both, live: the partition now reverted, then the heal.
    const history = page.getByTestId('chaos-history');
    const partitionRow = history.locator('[data-testid="history-row"][data-kind="partition"]').first();
    await expect(partitionRow).toHaveAttribute('data-status', 'reverted');
    await expect(partitionRow).toContainText('node-1, node-2 | node-3, node-4');
    await expect(partitionRow).toContainText('browser');
    await expect(history.locator('[data-testid="history-row"][data-kind="heal"]').first()).toContainText('heal everything');
    await shot(page, testInfo.outputPath('chaos-6-healed.png'));

    // A session the server no longer accepts flips the page back to sign-in, with the reason.
    await context.clearCookies();
    const loss = page.getByTestId('fault-loss');
    await loss.getByLabel('Loss (%)').fill('5');
    await loss.getByRole('button', { name: /Add loss/ }).click();
    await expect(page.getByTestId('signin')).toBeVisible();
    await expect(page.getByTestId('signin')).toContainText('no longer signed in');
    await expect(page.getByTestId('session-bar')).toHaveCount(0);
    await shot(page, testInfo.outputPath('chaos-7-session-lost.png'));
    const after = (await (await page.request.get('/api/chaos')).json()) as { active: unknown[]; history: Array<{ kind: string }> };
    expect(after.active).toHaveLength(0);
    expect(after.history[0].kind).toBe('heal');
  });

  test('a timed link fault counts down and reverts itself; a paused node is resumed with its revert button', async ({ page }, testInfo) => {
    await signIn(page);
    const latency = page.getByTestId('link-faults');
    // One direction, node-1 → node-2, 300 ± 50 ms for 4 s.
    await latency.getByRole('radio', { name: 'one direction' }).check();
    await latency.getByLabel('From node').selectOption({ label: 'node-1' });
    await latency.getByLabel('To node').selectOption({ label: 'node-1' });
    const form = page.getByTestId('fault-latency');
    await form.getByLabel('Delay (ms)').fill('300');
    await form.getByLabel('Jitter (ms)').fill('50');
    await form.getByLabel('For (seconds)').fill('4');
    await form.getByRole('button', { name: /Add latency/ }).click();
    await expect(form).toContainText('two different nodes');
    await latency.getByLabel('To node').selectOption({ label: 'node-2' });
    await form.getByRole('button', { name: 'Add latency · node-1 → node-2' }).click();
    const fault = page.locator('[data-testid="active-fault"][data-kind="latency"]');
    await expect(fault).toContainText('300 ms delay ± 50 ms jitter on node-1 → node-2 for 4 s');
    await expect(fault).toContainText(/reverts in \d s/);
    await shot(page, testInfo.outputPath('chaos-8-timed-latency.png'));
    await expect(fault).toHaveCount(0, { timeout: 15_000 });
    await expect(page.locator('[data-testid="history-row"][data-kind="latency"]').first()).toHaveAttribute('data-status', 'reverted');

    // Pause node-4 (confirmed), then revert that one fault.
    const row = page.locator('[data-testid="node-action-row"][data-node="node-4"]');
    const pauseButton = row.getByRole('button', { name: 'Pause…' });
    // Escape cancels, sends nothing, and gives focus back to the button that asked.
    await pauseButton.click();
    await expect(page.getByRole('dialog', { name: 'Pause node-4?' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(pauseButton).toBeFocused();
    await expect(page.locator('[data-testid="active-fault"][data-kind="pause"]')).toHaveCount(0);
    await pauseButton.click();
    await page.getByRole('dialog', { name: 'Pause node-4?' }).getByRole('button', { name: 'Pause' }).click();
    await expect(row).toContainText('paused');
    const pause = page.locator('[data-testid="active-fault"][data-kind="pause"]');
    await expect(pause).toContainText('pause node-4');
    await pause.getByRole('button', { name: 'Revert' }).click();
    await expect(pause).toHaveCount(0);
    await expect(row).not.toContainText('paused');
    await expect(page.locator('[data-testid="history-row"][data-kind="heal"]').first()).toContainText('revert #');
  });
  test('a partition shape and a pause on a selection, applied from the forms: listed as active with the nodes the server picked, then healed', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await signIn(page);
    await expect(page.getByTestId('consensus-banner')).toHaveAttribute('data-status', 'agreed', { timeout: 60_000 });

    // Isolate a minority, picked with seed 7: the dialog says what will happen before anything is sent.
    const shapes = page.getByTestId('partition-shapes');
    await shapes.getByTestId('shape-isolate').check();
    await shapes.getByTestId('shape-target-mode').selectOption('minority');
    await expect(shapes.getByTestId('shape-target-preview')).toContainText('the server picks a minority (1 of 4, at random from a fresh seed)');
    await shapes.getByText('advanced').click();
    await shapes.getByLabel('Seed').fill('7');
    await shapes.screenshot({ path: testInfo.outputPath('chaos-10a-shape-form.png') });
    await shapes.getByTestId('shape-apply').click();
    const shapeDialog = page.getByRole('dialog', { name: 'Partition the network: isolate?' });
    await expect(shapeDialog).toContainText('Isolate a minority from the rest (seed 7)');
    await shapeDialog.screenshot({ path: testInfo.outputPath('chaos-10b-shape-dialog.png') });
    await shapeDialog.getByRole('button', { name: 'Partition' }).click();
    const shape = page.locator('[data-testid="active-fault"][data-kind="partition-shape"]');
    await expect(shape).toContainText(/isolate a minority: node-\d \(seed 7\)/);

    // Pause fewer than a third (one node of four), the server picks which.
    const nodeFaults = page.getByTestId('node-faults');
    // "A node I choose" with none chosen is refused on the spot, nothing asked or sent.
    await nodeFaults.getByTestId('node-faults-target-mode').selectOption('node');
    await nodeFaults.getByTestId('node-faults-apply').click();
    await expect(nodeFaults).toContainText('choose a node');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await nodeFaults.getByTestId('node-faults-target-mode').selectOption('minority-third');
    await nodeFaults.getByTestId('node-faults-kind').selectOption('pause');
    await nodeFaults.screenshot({ path: testInfo.outputPath('chaos-10c-node-faults-form.png') });
    await nodeFaults.getByTestId('node-faults-apply').click();
    const pauseDialog = page.getByRole('dialog', { name: 'Pause: fewer than a third?' });
    await expect(pauseDialog).toContainText('Pause fewer than a third (1 of 4, at random from a fresh seed)');
    await pauseDialog.screenshot({ path: testInfo.outputPath('chaos-10d-pause-dialog.png') });
    await pauseDialog.getByRole('button', { name: 'Pause', exact: true }).click();
    const pause = page.locator('[data-testid="active-fault"][data-kind="pause"]');
    await expect(pause).toContainText(/pause fewer than a third \(node-\d; seed \d+\)/);
    const paused = /\((node-\d); seed/.exec((await pause.textContent()) ?? '')![1];
    await expect(page.locator(`[data-testid="node-action-row"][data-node="${paused}"]`)).toContainText('paused');
    await page.getByTestId('active-faults').screenshot({ path: testInfo.outputPath('chaos-10e-active-faults.png') });
    await page.getByTestId('fault-reorder').getByText('advanced').click();
    await page.getByTestId('link-faults').screenshot({ path: testInfo.outputPath('chaos-10f-link-faults.png') });
    await shot(page, testInfo.outputPath('chaos-10-shape-and-selection.png'));

    // Heal everything: both end, the paused node runs again and the network agrees.
    await page.getByTestId('heal-everything').click();
    await page.getByRole('dialog', { name: 'Heal everything?' }).getByRole('button', { name: 'Heal everything' }).click();
    await expect(page.getByTestId('no-active-faults')).toBeVisible();
    await expect(page.locator(`[data-testid="node-action-row"][data-node="${paused}"]`)).not.toContainText('paused');
    await expect(page.getByTestId('consensus-banner')).toHaveAttribute('data-status', 'agreed', { timeout: 90_000 });
  });

  test('the Scenarios panel lists the examples, shows a run live from running to passed with its steps, and cancels a running one', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await signIn(page);
    const panel = page.getByTestId('scenarios');
    await expect(panel.getByRole('heading', { name: 'Scenarios' })).toBeVisible();
    for (const file of ['split-brain.json', 'flaky-links.json', 'rolling-restarts.json']) {
      const example = panel.locator(`[data-testid="scenario-example"][data-file="${file}"]`);
      await expect(example).toBeVisible();
      await expect(example).toContainText(/\d+ steps?/);
      await expect(example.getByRole('button', { name: 'Run' })).toBeEnabled();
    }

    // Run asks first; Cancel starts nothing.
    await panel.locator('[data-testid="scenario-example"][data-file="split-brain.json"]').getByRole('button', { name: 'Run' }).click();
    const dialog = page.getByRole('dialog', { name: /Run “/ });
    await expect(dialog).toContainText(/Runs 6 timed steps over about \d+ s, then heals/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    // A short custom run started through the API appears live, then passes.
    const res = await page.request.post('/api/scenarios/run', {
      data: { scenario: { name: 'e2e quick check', steps: [{ at: 0, expect: { kind: 'agreement', withinSec: 60 } }] } },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status()).toBe(201);
    const { run } = (await res.json()) as { run: { id: number } };
    const item = panel.locator(`[data-testid="scenario-run"][data-run-id="${run.id}"]`);
    await expect(item).toContainText('e2e quick check');
    await expect(item).toHaveAttribute('data-status', 'passed', { timeout: 90_000 });
    await expect(item.getByTestId('scenario-run-status')).toHaveText('passed');
    await item.locator('summary').click();
    const steps = item.getByTestId('scenario-step');
    await expect(steps).toHaveCount(1);
    await expect(steps.first()).toContainText('PASS');
    await expect(panel.getByTestId('scenario-running')).toHaveCount(0);

    // A long run is cancelled from its Cancel button (asked first): it ends as cancelled at once.
    const long = await page.request.post('/api/scenarios/run', {
      data: {
        scenario: {
          name: 'e2e to cancel',
          steps: [
            { at: 0, expect: { kind: 'agreement', withinSec: 60 } },
            { at: 600, do: { kind: 'heal' } },
          ],
        },
      },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(long.status()).toBe(201);
    const longRun = ((await long.json()) as { run: { id: number } }).run;
    const longItem = panel.locator(`[data-testid="scenario-run"][data-run-id="${longRun.id}"]`);
    await expect(longItem).toHaveAttribute('data-status', 'running');
    await expect(panel.getByTestId('scenario-running')).toContainText('e2e to cancel');
    await panel.getByTestId('scenario-cancel').click();
    const ask = page.getByRole('dialog', { name: /Cancel “e2e to cancel”/ });
    await expect(ask).toContainText('heals the network');
    await ask.getByRole('button', { name: 'Cancel run' }).click();
    await expect(longItem).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
    await expect(longItem.getByTestId('scenario-run-status')).toHaveText('cancelled');
    await expect(panel.getByTestId('scenario-running')).toHaveCount(0);
    await item.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: testInfo.outputPath('chaos-9-scenarios.png') });
    await shot(page, testInfo.outputPath('chaos-9-scenarios-page.png'));
  });
});
