// One real node daemon (node/cli/node.ts) as a child process for the benchmark: spawned with
// tsx like LocalTestnet does, its JSON log lines parsed as they arrive so the benchmark can
// wait on facts the node reports ("node started", "caught up") instead of sleeping, and
// stopped with SIGTERM (SIGKILL after a grace period). `--parent-pid` makes it exit by itself
// if the benchmark process dies first.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_CLI = path.join(REPO_ROOT, 'node/cli/node.ts');
const KILL_AFTER_MS = 5_000;
const TAIL_LINES = 40;

/** One pino log line of the node (JSON); `timeMs` is its `time` as epoch ms. */
export interface NodeLogLine {
  msg?: string;
  level?: string;
  timeMs: number;
  [field: string]: unknown;
}

interface Waiter {
  match: (l: NodeLogLine) => boolean;
  resolve: (l: NodeLogLine) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class NodeProcess {
  /** Date.now() just before spawn: the start of the "wall time including process start". */
  readonly spawnedAt: number;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly seen: NodeLogLine[] = [];
  private exitInfo: string | null = null;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
  ) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // the bench's own flags (--expose-gc, a profiler) must not leak in
    delete env.NODE_ADMIN_TOKEN;
    this.spawnedAt = Date.now();
    this.child = spawn(
      process.execPath,
      [...(process.env.SYNC_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', NODE_CLI, '--parent-pid', String(process.pid), ...args],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child.stdin?.on('error', () => {}); // the node may exit first; EPIPE is expected
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = new Promise<void>((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${signal ?? `code ${code}`}`;
        for (const w of this.waiters) w.reject(this.error(`${this.exitInfo} before ${w.match.name || 'the awaited log line'}`));
        this.waiters.clear();
        resolve();
      });
      this.child.once('error', (err) => {
        this.exitInfo = `could not be spawned: ${err.message}`;
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (!line.startsWith('{')) return;
    let parsed: NodeLogLine;
    try {
      const raw = JSON.parse(line) as Record<string, unknown>;
      parsed = { ...raw, timeMs: typeof raw.time === 'string' ? Date.parse(raw.time) : Date.now() };
    } catch {
      return;
    }
    // Only lines someone may still ask for are kept: the few info-level facts, not a flood.
    if (parsed.level !== 'debug' && parsed.level !== 'trace') this.seen.push(parsed);
    for (const w of this.waiters) {
      if (w.match(parsed)) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(parsed);
      }
    }
  }

  private error(what: string): Error {
    return new Error(`${this.name} (pid ${this.child.pid}) ${what}; last output:\n  ${this.tail.slice(-15).join('\n  ')}`);
  }

  /** The first log line (already seen or still to come) matching `match`. */
  waitForLog(match: (l: NodeLogLine) => boolean, opts: { timeoutMs: number; what: string }): Promise<NodeLogLine> {
    const already = this.seen.find(match);
    if (already) return Promise.resolve(already);
    if (this.exitInfo) return Promise.reject(this.error(`${this.exitInfo}; never logged ${opts.what}`));
    return new Promise<NodeLogLine>((resolve, reject) => {
      const w: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(this.error(`did not log ${opts.what} within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited after a grace period. Idempotent. */
  async stop(): Promise<void> {
    if (this.exitInfo === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
      await this.exited;
      clearTimeout(timer);
    }
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`${this.name} stopped`));
    }
    this.waiters.clear();
  }
}
