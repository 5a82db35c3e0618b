// What the chaos specs share: the control token both products start with, and signing in.
import { expect, type Page } from '@playwright/test';

/** playwright.config.ts starts both products with this CONTROL_TOKEN. */
export const TOKEN = 'e2e-control-token-0123456789';

/** Opens /chaos and signs in with the control token (on `base`, another product's origin, when given). */
export async function signIn(page: Page, base = ''): Promise<void> {
  await page.goto(`${base}/chaos`);
  await page.getByLabel('Control token', { exact: true }).fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-bar')).toContainText('signed in');
}
