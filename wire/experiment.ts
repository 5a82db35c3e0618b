// An experiment file (issue 14): a testnet of its own, a fault schedule (explicit timed steps,
// or a generator: "a random fault from this set every 10 s for 5 minutes"), the checks, and a
// seed. The same file and seed give the same resolved schedule (server/experiments/schedule.ts),
// so a run can be replayed, and the same schedule can be run on PoA and on BFT to compare.
import { z } from 'zod';
import { TextInput } from './bounded-input.ts';
import { ChaosActionSchema } from './chaos-api.ts';

/** Longest experiment, s: two hours. */
export const MAX_EXPERIMENT_SEC = 7200;
/** Most explicit steps, or generated faults, in one experiment. */
export const MAX_EXPERIMENT_STEPS = 1000;

const Sec = z.number().min(0).max(MAX_EXPERIMENT_SEC);

export const ExperimentTestnetSchema = z.object({
  engine: z.enum(['poa', 'bft']).default('poa'),
  nodes: z.number().int().min(1).max(32).default(4),
  blockTimeMs: z.number().int().min(100).max(60_000).default(1000),
  txRate: z.number().min(0).max(1000).default(1),
});

export const ScheduleStepSchema = z.object({ at: Sec, do: ChaosActionSchema });
export type ScheduleStep = z.infer<typeof ScheduleStepSchema>;

export const FaultScheduleSchema = z.discriminatedUnion('kind', [
  /** Explicit timed steps. */
  z.object({ kind: z.literal('steps'), steps: z.array(ScheduleStepSchema).min(1).max(MAX_EXPERIMENT_STEPS) }),
  /** Every `everySec` from `fromSec` until `untilSec`, one fault drawn (by the seed) from `faults`, healed after `faultSec`. */
  z
    .object({
      kind: z.literal('generator'),
      everySec: z.number().min(1).max(MAX_EXPERIMENT_SEC),
      fromSec: Sec.default(0),
      untilSec: Sec,
      faultSec: z.number().min(1).max(MAX_EXPERIMENT_SEC),
      faults: z.array(ChaosActionSchema).min(1).max(100),
    })
    .refine((g) => g.untilSec > g.fromSec, 'untilSec must be after fromSec')
    .refine((g) => g.faultSec <= g.everySec, 'faultSec must not exceed everySec: one fault at a time')
    .refine((g) => (g.untilSec - g.fromSec) / g.everySec <= MAX_EXPERIMENT_STEPS, `at most ${MAX_EXPERIMENT_STEPS} generated faults`),
]);
export type FaultSchedule = z.infer<typeof FaultScheduleSchema>;

export const ExperimentChecksSchema = z.object({
  /** How long the network may take to recover after each heal, s (liveness). */
  recoveryBoundSec: z.number().positive().max(3600).default(15),
});

export const ExperimentSchema = z
  .object({
    name: TextInput(100).min(1),
    description: TextInput(2000).default(''),
    testnet: ExperimentTestnetSchema.default({ engine: 'poa', nodes: 4, blockTimeMs: 1000, txRate: 1 }),
    /** Seconds from the first fault's earliest time to the end of the run. */
    durationSec: z.number().min(1).max(MAX_EXPERIMENT_SEC),
    schedule: FaultScheduleSchema,
    checks: ExperimentChecksSchema.default({ recoveryBoundSec: 15 }),
    /** Seeds every random choice of the run; drawn and recorded when absent. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .refine((e) => e.testnet.engine !== 'bft' || e.testnet.nodes >= 4, { message: 'a BFT testnet needs at least 4 validators', path: ['testnet', 'nodes'] })
  .refine((e) => lastStepAt(e.schedule) < e.durationSec, { message: 'every fault must start before durationSec', path: ['schedule'] });
export type Experiment = z.infer<typeof ExperimentSchema>;

function lastStepAt(s: FaultSchedule): number {
  return s.kind === 'steps' ? Math.max(...s.steps.map((x) => x.at)) : s.untilSec - s.everySec;
}
