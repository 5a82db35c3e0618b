// Fuzz: every route of a node's HTTP API (wire/node-routes.ts) on a real BFT node over
// loopback HTTP: requests from each route's examples (and a really signed transaction) with a
// part broken (params, query, body, method, token), paths no route has, and raw request
// targets Node's parser takes but URLs do not. Admin routes are fuzzed with the right token
// too, so valid pause/clock/rules/byzantine bodies really apply. Every answer must be < 500
// (bar KNOWN_OPEN), every 4xx the coded JSON error body, and nothing may go unhandled.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzz, fuzzTimeoutMs, UnhandledCollector } from '../../lib/fuzz/fuzz-run.ts';
import { weirdString } from '../../lib/fuzz/generators.ts';
import { httpSender } from '../../lib/fuzz/http-send.ts';
import { knownOpenHits } from '../../lib/fuzz/known-open.ts';
import { checkRequest, routeRequests } from '../../lib/fuzz/route-requests.ts';
import { nodeRoutes } from '../../wire/node-routes.ts';
import { signTx } from '../chain/block.ts';
import { deterministicKeyPair } from '../chain/keys.ts';
import { FUZZ_ADMIN_TOKEN, startFuzzNode, type FuzzNode } from '../testkit/fuzz-node.ts';

const CI_MS = 3_000;

describe('fuzz: the node HTTP API (wire/node-routes.ts)', { timeout: fuzzTimeoutMs(CI_MS, 2) }, () => {
  let f: FuzzNode;

  before(async () => {
    f = await startFuzzNode('node-routes-fuzz');
  });
  after(() => f?.stop());

  it('every generated request answers < 500, each 4xx with a coded JSON error, and nothing goes unhandled', async () => {
    const http = httpSender(f.node.url);
    const unhandled = new UnhandledCollector().start();
    const hit = new Set<string>();
    const tx = signTx({ from: f.key.publicKey, to: deterministicKeyPair('node-routes-fuzz-to').publicKey, amount: 1, nonce: 0, timestamp: Date.now() }, f.key);
    const head = f.node.chain.getByHeight(1)!;
    try {
      const requests = routeRequests(nodeRoutes, {
        token: FUZZ_ADMIN_TOKEN,
        prefix: '/',
        extraExamples: { submitTx: [{ body: tx }], adminSubmitTx: [{ body: tx }], block: [{ params: { id: head.hash } }, { params: { id: '1' } }] },
      });
      const { runs } = await fuzz('node routes', CI_MS, requests, async (req) => {
        if (req.route) hit.add(req.route);
        await checkRequest(req, http.send);
      });
      assert.deepEqual(
        Object.keys(nodeRoutes).filter((id) => !hit.has(id)),
        [],
        'routes no request reached',
      );
      assert.ok(runs > 50, `only ${runs} requests in the budget`);

      const target = fc.oneof(
        fc.constantFrom(
          'http://[/health',
          'http://x/health',
          '//health',
          '*',
          '/blocks/%E0',
          '/blocks?from=%',
          'health',
          '/%68ealth',
          '/blocks/1/..',
          'http://127.0.0.1:1/blocks?limit=1',
        ),
        weirdString.map((s) => `/blocks?from=${s.replace(/[\r\n ]/g, '_')}`),
        weirdString.map((s) => s.replace(/[\r\n ]/g, '_')),
      );
      await fuzz('node raw targets', CI_MS / 2, target, async (t) => {
        const { status, body } = await rawGet(f.node.port, t);
        if (status === 0 || status >= 500) throw new Error(`GET ${t.slice(0, 200)} → ${status || 'no answer'}`);
        if (status >= 400 && typeof (JSON.parse(body) as { error?: { code?: unknown } }).error?.code !== 'string')
          throw new Error(`GET ${t.slice(0, 200)} → ${status} without a coded error: ${body.slice(0, 200)}`);
      });
      console.log(`known-open defects hit: ${JSON.stringify(knownOpenHits())}`);
    } finally {
      unhandled.stop();
      http.close();
    }
    assert.deepEqual(unhandled.problems, []);
    assert.ok((await f.client.health()).node.id);
  });
});

/** Sends `GET <target>` as is; resolves with the status (0 when the connection closed without one) and body. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${target.slice(0, 200)} within 15 s`));
    }, 15_000);
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    });
  });
}
