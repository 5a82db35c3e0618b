// CPU and memory of another process (and, optionally, everything under it) read from /proc,
// so a benchmark can report what the server it measures cost without instrumenting it.
// Linux only; on other systems every reading is null and the figures say "unknown".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100, the Linux default */
}

interface ProcStat {
  ppid: number;
  /** utime + stime of the process itself, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid = field 4, utime and stime = fields 14 and 15.
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

/** Resident set size in MB, or null when the process is gone. */
export function rssMB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by `pid` alone. */
export function cpuSeconds(pid: number): number | null {
  const s = readStat(pid);
  return s ? s.ticks / ticksPerSecond : null;
}

/** CPU seconds used so far by the living processes under `pid` (not `pid` itself). */
export function descendantsCpuSeconds(pid: number): number | null {
  if (!fs.existsSync('/proc')) return null;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (!s) continue;
    ticks.set(Number(entry), s.ticks);
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  let total = 0;
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    total += ticks.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total / ticksPerSecond;
}

export interface ProcessUsage {
  /** Average CPU of the process over the span, in % of one core. */
  cpuPct: number | null;
  /** Same for everything under it (child processes), when asked for. */
  childrenCpuPct: number | null;
  rssStartMB: number | null;
  rssEndMB: number | null;
  rssMaxMB: number | null;
  /** RSS samples over the span (one per `sampleMs`), for growth checks. */
  rssSamplesMB: number[];
}

/**
 * Starts measuring `pid`; the returned function stops and gives what it used since. RSS is
 * sampled on a timer (unref'd, so it never keeps the bench alive).
 */
export function sampleProcess(pid: number, opts: { sampleMs?: number; children?: boolean } = {}): () => ProcessUsage {
  const started = performance.now();
  const cpu0 = cpuSeconds(pid);
  const children0 = opts.children ? descendantsCpuSeconds(pid) : null;
  const samples: number[] = [];
  const take = () => {
    const r = rssMB(pid);
    if (r !== null) samples.push(r);
  };
  take();
  const timer = setInterval(take, opts.sampleMs ?? 1_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    take();
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = cpuSeconds(pid);
    const children1 = opts.children ? descendantsCpuSeconds(pid) : null;
    const pct = (a: number | null, b: number | null) => (a !== null && b !== null && seconds > 0 ? ((b - a) / seconds) * 100 : null);
    return {
      cpuPct: pct(cpu0, cpu1),
      // Children that exited during the span are not counted: a lower bound, fine for nodes that run throughout.
      childrenCpuPct: pct(children0, children1),
      rssStartMB: samples[0] ?? null,
      rssEndMB: samples[samples.length - 1] ?? null,
      rssMaxMB: samples.length ? Math.max(...samples) : null,
      rssSamplesMB: samples,
    };
  };
}
