// Recorded runs across the wire (issue 14): every experiment, scenario and chaos soak is kept
// as a run (manifest, seed, resolved schedule, every fault with its resolved targets and times,
// head and finalized history, alerts, verdict). The list and the run page read these shapes;
// an exported run file is one `RunFile`, self-contained, and importing it into another
// instance shows the same run page. Runs from a newer version import as long as their history
// parses: a schedule step's action is kept as written, not re-validated against today's kinds.
import { z } from 'zod';
import { AlertRecordSchema } from './explorer-api.ts';
import { ExperimentSchema, type Experiment } from './experiment.ts';
import { RunHistorySchema, ValiditySchema, VerdictSchema } from './run-history.ts';
import { TextInput } from './bounded-input.ts';
import { PositiveInt, UInt } from './primitives.ts';

/** The `format` of an exported run file; bump it when a file of this version could not be read. */
export const RUN_FILE_FORMAT = 'testnet-explorer.run/1';

/** Largest run file an instance imports (a 30-minute 16-node soak's head history fits). */
export const MAX_RUN_FILE_BYTES = 32 * 1024 * 1024;

export const RunKindSchema = z.enum(['experiment', 'scenario', 'soak']);
export type RunKind = z.infer<typeof RunKindSchema>;

/** running → finished (schedule done, verdict judged) | cancelled (stopped early: verdict 'unknown' at best) | error (could not run). */
export const RunStatusSchema = z.enum(['running', 'finished', 'cancelled', 'error']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

const Ms = UInt;

/** One line of the runs list. */
export const RunSummarySchema = z.object({
  id: PositiveInt,
  /** Stable across instances: an imported run keeps it, so importing twice finds the first copy. */
  uid: z.uuid(),
  kind: RunKindSchema,
  name: TextInput(100),
  engine: z.enum(['poa', 'bft']),
  nodes: z.number().int().min(1).max(64),
  /** Seeds every random choice of the run (null: a scenario, which has none). */
  seed: z.number().int().min(0).max(0xffffffff).nullable(),
  status: RunStatusSchema,
  startedAt: Ms,
  endedAt: Ms.nullable(),
  /** Faults applied (heals not counted). */
  faults: UInt,
  /** The verdict's overall validity; null while running or when the run could not be judged. */
  valid: ValiditySchema.nullable(),
  recoveryMedianSec: z.number().nonnegative().nullable(),
  recoveryMaxSec: z.number().nonnegative().nullable(),
  /** Who started it: a token label, 'browser-session', 'cli', … */
  actor: TextInput(100),
  /** When this copy was imported from a run file; null for a run recorded here. */
  importedAt: Ms.nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** A schedule step as resolved for the run (seconds after its start); the action as written then. */
export const RunStepSchema = z.object({ at: z.number().nonnegative(), action: z.looseObject({ kind: z.string().min(1).max(64) }) });
export type RunStep = z.infer<typeof RunStepSchema>;

/** Everything the run page shows and a run file carries. */
export const RunDetailSchema = RunSummarySchema.extend({
  description: TextInput(2000),
  /** The experiment file (or scenario, or soak options) as run. */
  manifest: z.record(z.string(), z.unknown()),
  schedule: z.array(RunStepSchema).max(20_000),
  history: RunHistorySchema.nullable(),
  verdict: VerdictSchema.nullable(),
  /** Alerts the monitor raised during the run. */
  alerts: z.array(AlertRecordSchema).max(10_000),
  /** Why the run could not run or be judged; notes on import (e.g. a re-judged verdict). */
  error: TextInput(4000).nullable(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

/** An exported run: one JSON document, self-contained. */
export const RunFileSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  exportedAt: Ms,
  run: RunDetailSchema.omit({ id: true, importedAt: true }),
});
export type RunFile = z.infer<typeof RunFileSchema>;

export const RunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  kind: RunKindSchema.optional(),
});
export const RunsResponseSchema = z.object({ runs: z.array(RunSummarySchema) });
export type RunsResponse = z.infer<typeof RunsResponseSchema>;
export const RunResponseSchema = z.object({ run: RunDetailSchema });
export type RunResponse = z.infer<typeof RunResponseSchema>;
export const ImportRunResponseSchema = z.object({
  run: RunSummarySchema,
  /** false: this run (same uid) was already here; `run` is the copy already stored. */
  created: z.boolean(),
});
export type ImportRunResponse = z.infer<typeof ImportRunResponseSchema>;

/** Start an experiment against the running network: an example file's name or a whole experiment, and a seed to replay. */
export const StartRunRequestSchema = z
  .object({
    file: TextInput(200).min(1).optional(),
    experiment: ExperimentSchema.optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .refine((r) => (r.file === undefined) !== (r.experiment === undefined), 'give either file or experiment');
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;
export const StartRunResponseSchema = z.object({ run: RunSummarySchema });

export const ExperimentExampleSchema = z.object({ file: z.string(), experiment: ExperimentSchema });
export type ExperimentExample = { file: string; experiment: Experiment };
export const ExperimentsResponseSchema = z.object({ examples: z.array(ExperimentExampleSchema) });
export type ExperimentsResponse = z.infer<typeof ExperimentsResponseSchema>;
