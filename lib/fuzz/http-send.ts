// Sends a fuzz request over real loopback HTTP with node:http, so the path reaches the server
// byte for byte as generated (fetch would normalise it), and reads the whole answer. A request
// that gets no answer within the deadline is a hang, and fails. Each request has a connection
// of its own: a kept-alive one can be closed by the server's idle timeout just as it is reused
// (a client-side race, not a server defect), and one request's leftovers cannot spoil the next.
import http from 'node:http';
import type { FuzzAnswer, FuzzRequest } from './route-requests.ts';

export function httpSender(baseUrl: string, timeoutMs = 20_000): { send: (req: FuzzRequest) => Promise<FuzzAnswer>; close: () => void } {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: false });
  const send = (req: FuzzRequest) =>
    new Promise<FuzzAnswer>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      // node:http sends DELETE and OPTIONS bodies without framing unless told their length.
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms (a hang)`)));
      r.on('error', reject);
      // A string body would be written with the head as one UTF-8 string, re-encoding Latin-1 header bytes.
      r.end(req.body === undefined ? undefined : Buffer.from(req.body));
    });
  return { send, close: () => agent.destroy() };
}
