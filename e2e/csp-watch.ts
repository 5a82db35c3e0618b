// What the security-header specs share: a record of every Content Security Policy violation a
// page reports (its `securitypolicyviolation` events and Chromium's "Refused to …" console
// lines), kept across navigations, and the header checks every answer must pass.
import { expect, type Page, type Response } from '@playwright/test';

export interface CspWatch {
  /** Every violation seen since the watch began, as readable lines. */
  violations: string[];
}

/** Starts recording before the first navigation; call once per page. */
export async function watchCsp(page: Page): Promise<CspWatch> {
  const watch: CspWatch = { violations: [] };
  // A binding, not a window variable: it outlives navigations, and the browser's CSP does not
  // apply to it.
  await page.exposeFunction('__reportCspViolation', (line: string) => void watch.violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation: (line: string) => Promise<void> }).__reportCspViolation;
      void report(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} "${e.sample}"`);
    });
  });
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) watch.violations.push(`console: ${msg.text()}`);
  });
  return watch;
}

/** The headers every answer of the control plane carries, whatever it is. */
export function expectSecurityHeaders(res: Response): void {
  const h = res.headers();
  const where = `${res.status()} ${res.url()}`;
  expect(h['x-content-type-options'], where).toBe('nosniff');
  expect(h['x-frame-options'], where).toBe('DENY');
  expect(h['referrer-policy'], where).toBe('no-referrer');
  expect(h['content-security-policy'], where).toContain("frame-ancestors 'none'");
}

/** A page's own policy: a per-request script nonce, no eval (the product runs the production build). */
export function expectPagePolicy(res: Response): string {
  expectSecurityHeaders(res);
  const csp = res.headers()['content-security-policy'];
  expect(csp, res.url()).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
  expect(csp, res.url()).not.toContain('unsafe-eval');
  return /'nonce-([^']+)'/.exec(csp)![1];
}
