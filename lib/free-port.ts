// Finds free loopback TCP ports: one (the embedded database, a test's server) or `count`
// consecutive ones (a testnet listens on base+i). The only place that does this.
//
// Ports are taken below the kernel's ephemeral range: a port free now but inside that range
// can be handed to some outgoing connection (a node dialing its peers) before the process
// meant to listen on it starts, which then fails with EADDRINUSE. The check and the later
// bind are still two steps, so a caller that binds must be ready to retry on EADDRINUSE.
//
// Ports handed out are claimed for a while (a file per port in the temp dir, created
// exclusively), so two processes on the machine never get the same port while the first has
// not bound it yet: a test reserves a testnet's ports and binds the last one only when it adds
// a node, and an embedded Postgres started meanwhile by another test must not take it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const LOWEST = 10_000;

export class FreePortError extends Error {
  readonly code = 'FREE_PORT_NOT_FOUND';
}

/** Whether nothing listens on 127.0.0.1:`port` right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
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

const CLAIMS_DIR = path.join(os.tmpdir(), 'testnet-explorer-port-claims');
/** Long enough for any caller to bind what it was given; a claim older than this is forgotten. */
const CLAIM_MS = 10 * 60_000;

/** Claims `port` for this process unless another claimed it within CLAIM_MS. */
function claim(port: number, now = Date.now()): boolean {
  const file = path.join(CLAIMS_DIR, String(port));
  for (;;) {
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        fs.mkdirSync(CLAIMS_DIR, { recursive: true });
        continue;
      }
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return true; // no claims here (read-only tmp): as before
      try {
        if (now - fs.statSync(file).mtimeMs < CLAIM_MS) return false;
        fs.rmSync(file, { force: true }); // stale: its owner has long bound the port, or never will
      } catch {
        return false;
      }
    }
  }
}

/** Claims `count` ports from `base`, all or none: false when some process claimed one lately. */
export function claimPorts(base: number, count: number, now = Date.now()): boolean {
  for (let i = 0; i < count; i++) {
    if (claim(base + i, now)) continue;
    unclaimPorts(base, i);
    return false;
  }
  return true;
}

function unclaimPorts(base: number, count: number): void {
  for (let i = 0; i < count; i++) fs.rmSync(path.join(CLAIMS_DIR, String(base + i)), { force: true });
}

/** The first of `count` consecutive free ports, claimed for this process. */
export async function freePorts(count: number): Promise<number> {
  const low = ephemeralStart();
  // Room below the ephemeral range when there is enough of it, else the old 20000–50000 window.
  const [from, span] = low !== null && low - LOWEST > 4 * count ? [LOWEST, low - LOWEST - count] : [20_000, 30_000];
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = from + Math.floor(Math.random() * span);
    if (!claimPorts(base, count)) continue;
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await isPortFree(base + i);
    if (ok) return base;
    unclaimPorts(base, count);
  }
  throw new FreePortError(`no ${count} consecutive free ports found on 127.0.0.1`);
}

/** `preferred` when it is free, else some other free port. 0 means "any". */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred !== 0 && (await isPortFree(preferred))) return preferred;
  return freePorts(1);
}
