// Two facts about the machine while a consensus window runs, each on the critical path of
// every BFT message hop:
//   wake-up lateness  a mostly idle process sleeping on a 5 ms timer wakes this much late: what
//                     a validator waiting for a vote loses to other processes holding the
//                     cores (2 cores shared with other helpers' tests and a soak)
//   fsync             an append of 200 B + fsync in the testnet's data dir: what the signing
//                     WAL waits for before each proposal, prevote and precommit leaves a node
//   pressure          Linux PSI (/proc/pressure/cpu, io): the share of the window in which some
//                     runnable task waited for a core (or for I/O), whoever's task it was
// The probes run in this process, beside the nodes; the fsyncs go through libuv's thread pool
// so they do not block the stream reader.
import fs from 'node:fs';
import path from 'node:path';

const TIMER_MS = 5;
const FSYNC_EVERY_MS = 100;

export interface MachineProbeResult {
  wakeLateMs: number[];
  fsyncMs: number[];
  /** Why the fsync probe stopped early, if it did. */
  fsyncError: string | null;
  /** Share of the window (0…1) with some task stalled on CPU / on I/O; null without PSI. */
  cpuPressure: number | null;
  ioPressure: number | null;
}

/** PSI "some" stall time so far, µs; null where the kernel has no PSI. */
function stallMicros(resource: 'cpu' | 'io'): number | null {
  try {
    const m = /^some .*total=(\d+)$/m.exec(fs.readFileSync(`/proc/pressure/${resource}`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export interface MachineProbe {
  stop(): Promise<MachineProbeResult>;
}

export function startMachineProbe(dir: string): MachineProbe {
  const wakeLateMs: number[] = [];
  const fsyncMs: number[] = [];
  let running = true;
  let fsyncError: string | null = null;
  const startedAt = performance.now();
  const stall0 = { cpu: stallMicros('cpu'), io: stallMicros('io') };
  const pressure = (resource: 'cpu' | 'io'): number | null => {
    const now = stallMicros(resource);
    const before = stall0[resource];
    return now === null || before === null ? null : (now - before) / 1000 / (performance.now() - startedAt);
  };
  let timer: NodeJS.Timeout | null = null;
  const sleep = () => {
    const due = performance.now() + TIMER_MS;
    timer = setTimeout(() => {
      wakeLateMs.push(Math.max(0, performance.now() - due));
      if (running) sleep();
    }, TIMER_MS);
  };
  sleep();
  const file = path.join(dir, 'fsync-probe.log');
  const record = Buffer.alloc(200, 1);
  const fsyncLoop = (async () => {
    const handle = await fs.promises.open(file, 'a');
    try {
      while (running) {
        const t = performance.now();
        await handle.write(record);
        await handle.sync();
        fsyncMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, FSYNC_EVERY_MS));
      }
    } finally {
      await handle.close();
      await fs.promises.rm(file, { force: true });
    }
  })().catch((err: unknown) => {
    fsyncError = (err as Error).message;
  });
  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      const cpuPressure = pressure('cpu');
      const ioPressure = pressure('io');
      await fsyncLoop;
      return { wakeLateMs, fsyncMs, fsyncError, cpuPressure, ioPressure };
    },
  };
}
