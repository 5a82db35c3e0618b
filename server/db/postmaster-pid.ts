// Reads a Postgres data directory's postmaster.pid and tells whether the server it names is
// still running, so a lock file left by a killed server can be told from a live one.
import fs from 'node:fs';
import path from 'node:path';

export interface PostmasterPid {
  pid: number;
  /** The data directory the server was started on (line 2 of the file). */
  dataDir: string;
  /** The port it listened on (line 4), if recorded. */
  port: number | null;
}

export function postmasterPidPath(clusterDir: string): string {
  return path.join(clusterDir, 'postmaster.pid');
}

export function readPostmasterPid(clusterDir: string): PostmasterPid | null {
  let text: string;
  try {
    text = fs.readFileSync(postmasterPidPath(clusterDir), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDir: '', port: null };
  const port = Number.parseInt(lines[3] ?? '', 10);
  return { pid, dataDir: lines[1] ?? '', port: Number.isInteger(port) ? port : null };
}

/** True when a process with this pid exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z = exited but not yet reaped.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Whether `pid` is a postgres server running on `clusterDir`. 'unknown' where /proc is not
 * available (then an alive pid must be presumed to be that server).
 */
export function isPostmasterOf(pid: number, clusterDir: string): boolean | 'unknown' {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return process.platform === 'linux' ? false : 'unknown';
  }
  const args = cmdline.split('\0');
  const dIndex = args.indexOf('-D');
  const dataDir = dIndex >= 0 ? args[dIndex + 1] : undefined;
  return path.basename(args[0] ?? '').startsWith('postgres') && dataDir !== undefined && path.resolve(dataDir) === path.resolve(clusterDir);
}

/** Resolves true once `pid` has exited, false if it is still alive at the deadline. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
