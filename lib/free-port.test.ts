import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { claimPorts, freePort, freePorts, isPortFree } from './free-port.ts';

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

describe('port claims across processes', () => {
  it('ports one process was handed cannot be claimed by another until the claim is stale', async () => {
    const { execFileSync } = await import('node:child_process');
    const base = await freePorts(3);
    const claimIn = (at: string, from: number, count: number) =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('./lib/free-port.ts').then((m) => console.log(m.claimPorts(${from}, ${count}, ${at})))`], {
        encoding: 'utf8',
      }).trim();
    assert.equal(claimIn('Date.now()', base + 2, 2), 'false', 'another process claimed a port this one was handed');
    // Eleven minutes on, the claims are forgotten: the owner has bound its ports long since.
    assert.equal(claimIn('Date.now() + 11 * 60_000', base, 3), 'true');
  });
});
