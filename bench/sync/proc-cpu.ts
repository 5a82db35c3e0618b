// CPU time a process has used so far (user + system, all its threads), from /proc on Linux.
// On a shared machine wall time swings with everyone else's load; CPU per block does not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSec: number | null = null;

function clockTicks(): number {
  if (ticksPerSec === null) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** null where /proc is not available (not Linux) or the process is gone. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime is the
    // 14th field and stime the 15th, i.e. the 12th and 13th after ") ".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / clockTicks();
  } catch {
    return null;
  }
}
