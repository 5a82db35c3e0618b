// Test helper: a raw TCP connection to an HTTP server from a chosen loopback source address
// (any 127.x.y.z is loopback on Linux), for tests of per-address limits and slow clients.
import net from 'node:net';

/** Connects to `url`'s host and port from `localAddress`; resolves once open. */
export function rawConnect(url: string, localAddress: string): Promise<net.Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket is closed (at once if it already is). */
export function socketClosed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

/**
 * Opens a connection from `localAddress`, sends a complete GET, and tells whether the server
 * closed it without a byte of answer (how a per-address connection cap refuses).
 */
export async function closedUnanswered(url: string, localAddress: string, path = '/'): Promise<boolean> {
  const s = await rawConnect(url, localAddress);
  let answer = '';
  s.on('data', (d) => (answer += String(d)));
  s.on('error', () => {});
  s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await socketClosed(s);
  return answer === '';
}

/**
 * A connection from `localAddress` that stays open: one keep-alive GET answered, then idle
 * until the server's keepAliveTimeout (a connection that sends nothing is cut after headersTimeout).
 */
export async function keptAliveConnection(url: string, localAddress: string, path = '/'): Promise<net.Socket> {
  const s = await rawConnect(url, localAddress);
  s.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    let answer = '';
    s.on('data', (d) => {
      answer += String(d);
      if (answer.includes('\r\n\r\n')) resolve();
    });
    s.once('close', () => reject(new Error(`connection from ${localAddress} closed before its answer`)));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
  return s;
}

/**
 * A slow-header client: starts a request from `localAddress` and trickles a header line every
 * 100 ms without ever ending the headers; resolves once the server closes the connection,
 * with how long it was held and what the server said.
 */
export async function trickleHeaders(url: string, localAddress: string, path = '/'): Promise<{ heldMs: number; answer: string }> {
  const s = await rawConnect(url, localAddress);
  let answer = '';
  s.on('data', (d) => (answer += String(d)));
  s.on('error', () => {});
  s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n`);
  const t0 = Date.now();
  const trickle = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 100);
  await socketClosed(s);
  clearInterval(trickle);
  return { heldMs: Date.now() - t0, answer };
}
