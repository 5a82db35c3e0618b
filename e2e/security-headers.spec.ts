// Security headers in a real Chromium against the real product: every explorer page works
// under its Content Security Policy (no violation, live updates still arrive over Socket.IO),
// every answer carries the headers, an injected inline script is refused, another origin
// cannot frame /chaos, and the "building" page renders under the same page policy.
import { expect, test, type Page, type Response } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOKEN } from './chaos-session.ts';
import { expectPagePolicy, expectSecurityHeaders, watchCsp } from './csp-watch.ts';
import { secureResponse } from '../server/http/security-headers.ts';
import { sendBuildingPage } from '../server/http/building-page.ts';

interface Ids {
  nodeId: string;
  block: { hash: string; height: number };
  txHash: string;
}

/** A node, a block with transactions and one of them, once the testnet has made them. */
async function someIds(page: Page): Promise<Ids> {
  let ids: Ids | undefined;
  await expect
    .poll(
      async () => {
        const nodes = ((await (await page.request.get('/api/nodes')).json()) as { nodes: Array<{ id: string }> }).nodes;
        const blocks = ((await (await page.request.get('/api/blocks?limit=20')).json()) as { blocks: Array<{ hash: string; height: number; txCount: number; orphaned: boolean }> })
          .blocks;
        const block = blocks.find((b) => b.txCount > 0 && !b.orphaned);
        if (!nodes[0] || !block) return false;
        const detail = (await (await page.request.get(`/api/blocks/${block.hash}`)).json()) as { block: { txs: Array<{ hash: string }> } };
        ids = { nodeId: nodes[0].id, block, txHash: detail.block.txs[0].hash };
        return true;
      },
      { timeout: 60_000, message: 'a node and a block with transactions in the index' },
    )
    .toBe(true);
  return ids!;
}

/** Starts a plain HTTP server on another loopback port (another origin); closed by the caller. */
async function otherOrigin(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

test.describe('security headers', () => {
  test('every page works under its policy: no CSP violation, live updates arrive, every answer has the headers', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const watch = await watchCsp(page);
    const answers: Response[] = [];
    page.on('response', (res) => void answers.push(res));
    const sockets: string[] = [];
    page.on('websocket', (ws) => void sockets.push(ws.url()));
    const ids = await someIds(page);

    const visit = async (url: string, status = 200) => {
      const res = (await page.goto(url))!;
      expect(res.status(), url).toBe(status);
      const nonce = expectPagePolicy(res);
      // Hydrated and connected: the live indicator is a client component fed by Socket.IO.
      await expect(page.getByRole('banner').getByTestId('live-indicator'), url).toHaveText('● live');
      return nonce;
    };

    // Overview: the node heights move by themselves (Socket.IO pushes pass connect-src).
    const firstNonce = await visit('/');
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    const height = Number(await page.getByTestId('node-height').first().innerText());
    await expect.poll(async () => Number(await page.getByTestId('node-height').first().innerText()), { timeout: 30_000 }).toBeGreaterThan(height);
    await expect(page.getByTestId('height-chart').locator('path[data-node]')).toHaveCount(4);
    await page.screenshot({ path: testInfo.outputPath('overview-under-csp.png'), fullPage: true });

    expect(await visit('/blocks')).not.toBe(firstNonce); // a fresh nonce per page answer
    await expect(page.getByTestId('block-row').first()).toBeVisible();

    await visit(`/blocks/${ids.block.hash}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Block #${ids.block.height}`);

    await visit(`/txs/${ids.txHash}`);
    await expect(page.getByTestId('tx-hash')).toHaveText(ids.txHash);

    await visit(`/nodes/${ids.nodeId}`);
    await expect(page.getByTestId('node-detail')).toBeVisible();

    await visit('/peers');
    await expect(page.getByTestId('peer-node')).toHaveCount(4);

    await visit('/forks');
    await expect(page.getByTestId('fork-graph').getByTestId('fork-tip')).toHaveCount(4);

    await visit('/consensus');
    await expect(page.getByTestId('consensus-page')).toBeVisible();

    // /chaos, signed out and signed in (a form posting with fetch, then the session's views).
    await visit('/chaos');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chaos');
    await page.getByLabel('Control token', { exact: true }).fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('session-bar')).toContainText('signed in');
    await expect(page.getByTestId('partition-chip').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('chaos-under-csp.png'), fullPage: true });

    // Client-side navigation (RSC fetches) and Next's own 404 page.
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect(page.getByTestId('node-row')).toHaveCount(4);
    await visit('/no-such-page', 404);
    await expect(page.getByTestId('page-not-found')).toBeVisible();

    // Socket.IO ran over its WebSocket, not only the polling fallback.
    expect(
      sockets.some((u) => u.includes('/socket.io/') && u.includes('transport=websocket')),
      sockets.join('\n'),
    ).toBe(true);
    // Every answer the browser got from the product: pages, chunks, CSS, the icon, /api, Socket.IO.
    const ours = answers.filter((r) => new URL(r.url()).host === new URL(page.url()).host);
    expect(ours.some((r) => r.url().includes('/_next/static/'))).toBe(true);
    expect(ours.some((r) => r.url().includes('/api/'))).toBe(true);
    for (const res of ours) expectSecurityHeaders(res);
    expect(watch.violations).toEqual([]);
  });

  test('script injected into a page is refused and reported: an inline <script> in the HTML and an inline event handler', async ({ page }) => {
    const watch = await watchCsp(page);
    // What a stored XSS would look like: the product's own answer (its headers untouched) with
    // a script without the nonce written into the document. Code run through page.evaluate
    // cannot stand in for it: Chromium exempts DevTools-evaluated code from the page's CSP.
    await page.route('/', async (route) => {
      const answer = await route.fetch();
      const html = (await answer.text()).replace('</head>', '<script>window.__injected = "ran"</script></head>');
      // The policy and the other headers as the product sent them; the body is a new one.
      const headers = { ...answer.headers() };
      for (const name of ['content-length', 'content-encoding', 'transfer-encoding']) delete headers[name];
      await route.fulfill({ status: answer.status(), headers, body: html });
    });
    expectPagePolicy((await page.goto('/'))!);
    // (Not "live" here: Chromium treats a document fulfilled by the test as public, and its
    // local-network checks then refuse the WebSocket to 127.0.0.1.)
    expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
    await expect.poll(() => watch.violations.join('\n')).toContain('script-src-elem blocked inline');

    const clicked = await page.evaluate(() => {
      const el = document.createElement('button');
      el.setAttribute('onclick', 'window.__clicked = true');
      document.body.append(el);
      el.click();
      return (window as unknown as { __clicked?: boolean }).__clicked === true;
    });
    expect(clicked).toBe(false);
    await expect.poll(() => watch.violations.join('\n')).toContain('script-src-attr blocked inline');
  });

  test('another origin cannot frame /chaos', async ({ page, baseURL }) => {
    const chaosUrl = `${baseURL}/chaos`;
    const outer = await otherOrigin((req, res) => {
      if (req.url === '/framed') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p id="framed">framed fine</p>');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>framer</title><iframe id="own" src="/framed"></iframe><iframe id="victim" src="${chaosUrl}" width="800" height="600"></iframe>`);
    });
    try {
      const refused = page.waitForEvent('console', { predicate: (m) => m.text().includes("frame-ancestors 'none'"), timeout: 30_000 });
      const chaosAnswer = page.waitForResponse((r) => r.url() === chaosUrl);
      await page.goto(outer.url);
      // The control: a frame of the framer's own origin renders, so the refusal below is /chaos's.
      await expect(page.frameLocator('#own').locator('#framed')).toHaveText('framed fine');
      // The answer reached the browser, with the headers, and the browser refused to show it.
      expectSecurityHeaders(await chaosAnswer);
      expect((await refused).text()).toContain(`Framing '${baseURL}/'`);
      // Chromium shows its own error document in the frame instead of the answer.
      await expect.poll(() => page.frame({ name: 'victim' })?.url()).toMatch(/^chrome-error:/);
      await expect(page.frameLocator('#victim').getByRole('heading', { name: 'Chaos' })).toHaveCount(0);
      await expect(page.frameLocator('#victim').getByTestId('live-indicator')).toHaveCount(0);
    } finally {
      await closeServer(outer.server);
    }
  });

  test('the "building" page renders its own style under the page policy', async ({ page }) => {
    // The same two calls control-plane.ts makes while the explorer's build is still running.
    const building = await otherOrigin((req, res) => sendBuildingPage(res, secureResponse(req, res, { dev: false, pages: true })));
    try {
      const watch = await watchCsp(page);
      const res = (await page.goto(building.url))!;
      expect(res.status()).toBe(503);
      expectPagePolicy(res);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('The explorer is being built');
      // The nonce'd <style> applied: body{max-width:36em} at 16px.
      expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('576px');
      expect(watch.violations).toEqual([]);
    } finally {
      await closeServer(building.server);
    }
  });
});
