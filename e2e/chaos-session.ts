// What the chaos specs share: the control token both products start with, signing in, and the
// 2|2 partition several specs make through the control API.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** playwright.config.ts starts both products with this CONTROL_TOKEN. */
export const TOKEN = 'e2e-control-token-0123456789';

/** Opens /chaos and signs in with the control token (on `base`, another product's origin, when given). */
export async function signIn(page: Page, base = ''): Promise<void> {
  await page.goto(`${base}/chaos`);
  await page.getByLabel('Control token', { exact: true }).fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-bar')).toContainText('signed in');
}

/** Splits the 4-node testnet node-1, node-2 | node-3, node-4 through the control API; answers the action's id. */
export async function partitionTwoByTwo(request: APIRequestContext): Promise<number> {
  const { nodes } = (await (await request.get('/api/nodes')).json()) as { nodes: Array<{ id: string; name: string }> };
  const [n1, n2, n3, n4] = nodes.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })).map((n) => n.id);
  const applied = await request.post('/api/chaos', {
    data: {
      kind: 'partition',
      groups: [
        [n1, n2],
        [n3, n4],
      ],
    },
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(applied.ok(), await applied.text()).toBe(true);
  return ((await applied.json()) as { action: { id: number } }).action.id;
}
