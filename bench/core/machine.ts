// The facts about the machine and the code a run was measured on, stored beside its figures.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  totalMemoryMB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  commit: string | null;
  dirty: boolean | null;
}

export function machineFacts(): MachineFacts {
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().length > 0;
  } catch {
    /* not a git checkout: leave unknown */
  }
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit,
    dirty,
  };
}
