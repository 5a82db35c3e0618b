// A chaos scenario file: timed actions and expectations, run by `npm run scenario -- FILE`.
// Nodes are named as the explorer shows them ("node-1"), so a file works on any testnet.
import { z } from 'zod';
import { ChaosActionSchema } from './chaos-api.ts';
import { TextInput } from './bounded-input.ts';

/** Most steps one scenario holds. */
export const MAX_SCENARIO_STEPS = 100;
/** Latest a step may start, and longest an expectation may wait, in seconds: a scenario is over within about two hours. */
export const MAX_SCENARIO_SEC = 3600;

export const ExpectationSchema = z.discriminatedUnion('kind', [
  /** Every reachable node agrees on one chain within the time. */
  z.object({ kind: z.literal('agreement'), withinSec: z.number().positive().max(MAX_SCENARIO_SEC) }),
  /** The monitor reports a fork within the time. */
  z.object({ kind: z.literal('forked'), withinSec: z.number().positive().max(MAX_SCENARIO_SEC) }),
  /** No node reorganised deeper than this since the scenario started. */
  z.object({ kind: z.literal('max-reorg-depth'), depth: z.number().int().min(0).max(1_000_000) }),
  /** Every node reports status in-sync within the time. */
  z.object({ kind: z.literal('all-in-sync'), withinSec: z.number().positive().max(MAX_SCENARIO_SEC) }),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const ScenarioStepSchema = z
  .object({
    /** Seconds after the scenario started. */
    at: z.number().min(0).max(MAX_SCENARIO_SEC),
    /** A chaos action body (wire/chaos-api.ts), with node names allowed where ids go: checked whole when the scenario is submitted. */
    do: ChaosActionSchema.optional(),
    expect: ExpectationSchema.optional(),
  })
  .refine((s) => (s.do ? 1 : 0) + (s.expect ? 1 : 0) === 1, 'each step has exactly one of "do" or "expect"');
export type ScenarioStep = z.infer<typeof ScenarioStepSchema>;

export const ScenarioSchema = z.object({
  name: TextInput(100).min(1),
  description: TextInput(2000).default(''),
  steps: z.array(ScenarioStepSchema).min(1).max(MAX_SCENARIO_STEPS, `at most ${MAX_SCENARIO_STEPS} steps`),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const StepResultSchema = z.object({
  at: z.number(),
  what: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** Seconds after the start when the step finished. */
  finishedAt: z.number(),
});
export type StepResult = z.infer<typeof StepResultSchema>;

export const ScenarioReportSchema = z.object({
  name: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  passed: z.boolean(),
  steps: z.array(StepResultSchema),
  /** True when the run was cancelled before its last step (the steps are those that ran). */
  cancelled: z.boolean().optional(),
});
export type ScenarioReport = z.infer<typeof ScenarioReportSchema>;

export const ScenarioRunRecordSchema = z.object({
  id: z.number(),
  name: z.string(),
  actor: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  status: z.enum(['running', 'passed', 'failed', 'error', 'cancelled']),
  report: ScenarioReportSchema.nullable(),
  /** Why a run ended in 'error' (it could not run at all). */
  error: z.string().nullable(),
});
export type ScenarioRunRecord = z.infer<typeof ScenarioRunRecordSchema>;

export const ScenarioExampleSchema = z.object({ file: z.string(), scenario: ScenarioSchema });
export type ScenarioExample = z.infer<typeof ScenarioExampleSchema>;

/** GET /api/scenarios */
export const ScenariosResponseSchema = z.object({ examples: z.array(ScenarioExampleSchema), runs: z.array(ScenarioRunRecordSchema) });
export type ScenariosResponse = z.infer<typeof ScenariosResponseSchema>;

/** POST /api/scenarios/run answers the run it started. */
export const ScenarioRunResponseSchema = z.object({ run: ScenarioRunRecordSchema });
export type ScenarioRunResponse = z.infer<typeof ScenarioRunResponseSchema>;

/** POST /api/scenarios/run: one of an example file's name or a whole scenario. */
export const ScenarioRunRequestSchema = z
  .object({
    file: z
      .string()
      .regex(/^[\w.-]+\.json$/, 'a file name from GET /api/scenarios')
      .optional(),
    scenario: ScenarioSchema.optional(),
  })
  .refine((r) => (r.file ? 1 : 0) + (r.scenario ? 1 : 0) === 1, 'give either file or scenario');
