// The page shown on the very first start while the explorer's production build is made. Its
// one inline <style> carries the request's nonce, so it renders under the page policy
// (security-headers.ts) like every other page.
import '#server-only';
import type { ServerResponse } from 'node:http';

export function buildingPage(nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Testnet explorer: building</title><style nonce="${nonce}">body{font:16px system-ui;margin:15vh auto;max-width:36em;padding:0 1em;color:#1d2330}</style></head>
<body><h1>The explorer is being built</h1><p>This happens once, on the first start (about a minute).
The nodes are already running and being indexed; the API answers at <a href="/api/health">/api/health</a>.</p>
<p>This page reloads by itself.</p></body></html>`;
}

/** 503 with Retry-After: the page exists, just not yet. */
export function sendBuildingPage(res: ServerResponse, nonce: string): void {
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' }).end(buildingPage(nonce));
}
