// CPU time spent per phase, by this process and by the Postgres cluster (the postmaster and
// every process under it, including exited backends via cutime/cstime). Wall-clock figures on
// a shared 2-core machine move with whatever else runs; CPU seconds show the work itself.
// Postgres CPU needs /proc access to the server's processes (embedded or local server);
// otherwise it is reported as unknown.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100, the Linux default */
}

function stat(pid: number): { ppid: number; self: number; children: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid = field 4, utime..cstime = fields 14..17.
    return { ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

export async function postmasterPid(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const backend = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return stat(backend)?.ppid ?? null;
  } finally {
    await c.end();
  }
}

/** Seconds of CPU used so far by the postmaster and everything under it, or null. */
export function clusterCpuSeconds(postmaster: number | null): number | null {
  if (!postmaster) return null;
  const root = stat(postmaster);
  if (!root) return null;
  let ticks = root.self + root.children;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s && s.ppid === postmaster) ticks += s.self;
  }
  return ticks / ticksPerSecond;
}

export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export interface CpuSpan {
  node: number;
  postgres: number | null;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/**
 * Starts measuring; the returned function gives the CPU seconds used since. Both ends wait a
 * moment before reading Postgres: a backend that just exited is briefly counted nowhere (not
 * listed, not yet in the postmaster's cutime) until the postmaster has reaped it. Call it
 * before starting a wall clock, and read it after stopping one.
 */
export async function cpuMeter(postmaster: number | null): Promise<() => Promise<CpuSpan>> {
  await settle();
  const node0 = processCpuSeconds();
  const pg0 = clusterCpuSeconds(postmaster);
  return async () => {
    const node = processCpuSeconds() - node0;
    await settle();
    const pg1 = clusterCpuSeconds(postmaster);
    return { node, postgres: pg0 !== null && pg1 !== null ? pg1 - pg0 : null };
  };
}
