// Finds free loopback ports for tests: `count` consecutive ones when a testnet needs base+i.
// They are taken below the kernel's ephemeral range: a port free now but inside that range
// can be handed to some outgoing connection (a node dialing its peers) before the node meant
// to listen on it starts, and that node then fails with EADDRINUSE.
import fs from 'node:fs';
import net from 'node:net';

const LOWEST = 10_000;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** First port of the ephemeral range (Linux), or null when it cannot be read. */
function ephemeralStart(): number | null {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : null;
  } catch {
    return null;
  }
}

export async function freePorts(count: number): Promise<number> {
  const low = ephemeralStart();
  // Room below the ephemeral range when there is enough of it, else the old 20000–50000 window.
  const [from, span] = low !== null && low - LOWEST > 4 * count ? [LOWEST, low - LOWEST - count] : [20_000, 30_000];
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = from + Math.floor(Math.random() * span);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await isFree(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
