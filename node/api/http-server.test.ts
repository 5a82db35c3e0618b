// The upgrade dispatcher of a node's HTTP port: a request target that Node's HTTP parser takes
// but `new URL` does not (`GET http://[/stream`, found by stream.fuzz.test.ts) used to throw in
// the 'upgrade' listener and kill the node; it is answered 400 and the port keeps serving.
import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DEFAULT_HTTP_TIMEOUTS } from '../../lib/http/server-limits.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { clientErrorAnswer } from '../../lib/http/client-error.ts';
import { createUpgradeServer } from './http-server.ts';

function upgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(data.split('\r\n')[0]));
  });
}

test('an upgrade whose request target is no URL is answered 400; the port keeps dispatching upgrades', { timeout: 20_000 }, async () => {
  const seen: string[] = [];
  const server: http.Server = createUpgradeServer(
    {
      '/stream': (req, socket) => {
        seen.push(req.url ?? '');
        socket.end('HTTP/1.1 418 Teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    },
    { logger: createLogger({ level: 'silent', name: 'test' }), metrics: createMetrics(), limits: { ...DEFAULT_HTTP_TIMEOUTS, maxConnectionsPerAddress: 64 } },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    assert.equal(await upgrade(port, 'http://[/stream'), 'HTTP/1.1 400 Bad Request');
    assert.equal(await upgrade(port, '/nowhere'), 'HTTP/1.1 404 Not Found');
    assert.equal(await upgrade(port, '/stream?since=1'), 'HTTP/1.1 418 Teapot');
    assert.deepEqual(seen, ['/stream?since=1']);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("what Node's HTTP parser refuses is answered with the coded error body: 431 for a head over 16 KiB, else 400; none to a HEAD", () => {
  const [head, body] = clientErrorAnswer({ code: 'HPE_HEADER_OVERFLOW' }).split('\r\n\r\n');
  assert.match(head, /^HTTP\/1\.1 431 /);
  assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'HEADERS_TOO_LARGE');
  assert.equal((JSON.parse(clientErrorAnswer({ code: 'HPE_INVALID_METHOD' }).split('\r\n\r\n')[1]) as { error: { code: string } }).error.code, 'BAD_REQUEST');
  assert.match(clientErrorAnswer({ code: 'HPE_INVALID_METHOD' }, true), /Content-Length: 0\r\n\r\n$/);
});
