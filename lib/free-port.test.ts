import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { freePort, freePorts, isPortFree } from './free-port.ts';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('free ports', () => {
  it('freePorts(n) returns the first of n consecutive ports that can all be bound', async () => {
    const base = await freePorts(3);
    const servers = await Promise.all([0, 1, 2].map((i) => listen(base + i)));
    for (const s of servers) s.close();
  });

  it('freePort keeps a free preferred port and replaces a busy one', async () => {
    const preferred = await freePort();
    assert.equal(await freePort(preferred), preferred);
    const busy = await listen(preferred);
    try {
      assert.equal(await isPortFree(preferred), false);
      const other = await freePort(preferred);
      assert.notEqual(other, preferred);
      assert.equal(await isPortFree(other), true);
    } finally {
      busy.close();
    }
  });
});
