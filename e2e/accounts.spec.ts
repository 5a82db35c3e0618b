// The account page against the real product (4 local nodes, 500 ms blocks, the nodes' load
// generators sending): from a block's transaction, the sender's link opens its account with a
// balance per node and its transactions, whose older page opens; the header search finds the
// account by an address prefix; a block's proposer key is a link to its account; and under a 2|2 partition the page says the nodes disagree.
// Screenshots of each state go into the test output.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

// playwright.config.ts starts the server with this CONTROL_TOKEN.
const auth = { authorization: 'Bearer e2e-control-token-0123456789' };

interface BlockJson {
  hash: string;
  height: number;
  proposer: string;
  txCount: number;
  orphaned: boolean;
}

/** A block with transactions, once the load generators' first ones are in. */
async function blockWithTxs(request: APIRequestContext): Promise<BlockJson> {
  let found: BlockJson | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get('/api/blocks?limit=20')).json()) as { blocks: BlockJson[] };
        found = body.blocks.find((b) => b.txCount > 0 && !b.orphaned && b.height > 2);
        return Boolean(found);
      },
      { timeout: 60_000, message: 'a block with transactions' },
    )
    .toBe(true);
  return found!;
}

/** The account page of a block's first sender, reached by clicking it. */
async function openSenderOf(page: Page, block: BlockJson, screenshot?: string): Promise<string> {
  await page.goto(`/blocks/${block.hash}`);
  const sender = page.getByTestId('tx-from').first();
  await expect(sender).toBeVisible();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  const address = (await sender.getAttribute('data-address'))!;
  expect(address).toMatch(/^[0-9a-f]{64}$/);
  await sender.click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${address}$`));
  return address;
}

test.describe('accounts', () => {
  test.afterAll(async ({ request }) => {
    await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
  });

  test("a sender's link opens its account: a balance per node, its transactions, an older page; search finds it by prefix", async ({ page, request }, testInfo) => {
    const address = await openSenderOf(page, await blockWithTxs(request), testInfo.outputPath('block-txs.png'));
    await expect(page.getByTestId('account-address')).toHaveText(address);
    const rows = page.getByTestId('balance-row');
    await expect(rows).toHaveCount(4);
    await expect(page.getByTestId('node-balance').first()).toHaveText(/^\d{1,3}(,\d{3})*$/);
    await expect(page.getByTestId('balance-verdict')).toContainText(/agree|disagree|report/);
    await expect(page.getByTestId('account-tx-row').first()).toBeVisible();
    await expect(page.locator('[data-testid="account-tx-row"][data-direction="out"]').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('account.png'), fullPage: true });

    // The page keeps pace with the chain without a reload (head pushes refresh it): the account
    // sends about one transaction a second, so a newer one appears at the top.
    const newestHeight = () => page.getByTestId('account-tx-row').evaluateAll((trs) => Math.max(...trs.map((tr) => Number(tr.getAttribute('data-height')))));
    const shownFirst = await newestHeight();
    await expect.poll(newestHeight, { timeout: 60_000, message: 'a newer transaction shown without a reload' }).toBeGreaterThan(shownFirst);

    // An older page once the account has more than one page (it sends about one a second).
    await expect
      .poll(async () => ((await (await request.get(`/api/accounts/${address}/txs`)).json()) as { nextCursor: string | null }).nextCursor, {
        timeout: 60_000,
        message: 'a second page of transactions',
      })
      .not.toBeNull();
    await page.reload();
    await expect(page.getByTestId('account-tx-row')).toHaveCount(25);
    const lowestOnFirst = Math.min(...(await page.getByTestId('account-tx-row').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-height'))))));
    await page.getByTestId('older-txs').first().click();
    await expect(page).toHaveURL(/\?cursor=\d+-[0-9a-f]{64}-\d+$/);
    await expect(page.getByRole('heading', { name: /^Older transactions, from block #\d+ down$/ })).toBeVisible();
    await expect(page.getByTestId('account-tx-row').first()).toBeVisible();
    const olderHeights = await page.getByTestId('account-tx-row').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-height'))));
    expect(Math.max(...olderHeights)).toBeLessThanOrEqual(lowestOnFirst);
    await page.screenshot({ path: testInfo.outputPath('account-older.png'), fullPage: true });

    // The header search: the first 10 hex digits lead to the account.
    await page.goto('/');
    await page.getByTestId('search-input').fill(address.slice(0, 10));
    await page.getByTestId('search-input').press('Enter');
    await expect(page).toHaveURL(new RegExp(`/accounts/${address}$`));
    await expect(page.getByTestId('account-detail')).toBeVisible();
  });

  test("a block's proposer key is an account link too", async ({ page, request }) => {
    const block = await blockWithTxs(request);
    await page.goto(`/blocks/${block.hash}`);
    const proposer = page.getByTestId('proposer-address');
    await expect(proposer).toHaveAttribute('data-address', block.proposer);
    await proposer.click();
    await expect(page).toHaveURL(new RegExp(`/accounts/${block.proposer}$`));
    await expect(page.getByTestId('account-address')).toHaveText(block.proposer);
  });

  test('under a 2|2 partition the nodes disagree on a sender balance, and the page says which', async ({ page, request }, testInfo) => {
    await openSenderOf(page, await blockWithTxs(request));
    const { nodes } = (await (await request.get('/api/nodes')).json()) as { nodes: Array<{ id: string; name: string }> };
    const id = (name: string) => nodes.find((n) => n.name === name)!.id;
    const partition = await request.post('/api/chaos', {
      data: {
        kind: 'partition',
        groups: [
          [id('node-1'), id('node-2')],
          [id('node-3'), id('node-4')],
        ],
      },
      headers: auth,
    });
    expect(partition.ok(), await partition.text()).toBe(true);
    // Each side includes only the transfers its own load generators submit: the sides' balances part.
    await expect(page.getByTestId('balance-verdict')).toHaveAttribute('data-agreement', 'differ', { timeout: 45_000 });
    await expect(page.getByTestId('balance-verdict')).toContainText('The nodes disagree');
    await expect(page.locator('[data-testid="balance-row"][data-differs="true"]').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('account-partitioned.png'), fullPage: true });

    expect((await request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth })).ok()).toBe(true);
    await expect(page.getByTestId('balance-verdict')).toHaveAttribute('data-agreement', 'agree', { timeout: 60_000 });
    await page.screenshot({ path: testInfo.outputPath('account-healed.png'), fullPage: true });
  });
});
