// A chaos scenario file: timed actions and expectations, run by `npm run scenario -- FILE`.
// Nodes are named as the explorer shows them ("node-1"), so a file works on any testnet.
import { z } from 'zod';

export const ExpectationSchema = z.discriminatedUnion('kind', [
  /** Every reachable node agrees on one chain within the time. */
  z.object({ kind: z.literal('agreement'), withinSec: z.number().positive().max(3600) }),
  /** The monitor reports a fork within the time. */
  z.object({ kind: z.literal('forked'), withinSec: z.number().positive().max(3600) }),
  /** No node reorganised deeper than this since the scenario started. */
  z.object({ kind: z.literal('max-reorg-depth'), depth: z.number().int().min(0) }),
  /** Every node reports status in-sync within the time. */
  z.object({ kind: z.literal('all-in-sync'), withinSec: z.number().positive().max(3600) }),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const ScenarioStepSchema = z
  .object({
    /** Seconds after the scenario started. */
    at: z.number().min(0).max(24 * 3600),
    /** A chaos action body (wire/chaos-api.ts), with node names allowed where ids go. */
    do: z.record(z.string(), z.unknown()).optional(),
    expect: ExpectationSchema.optional(),
  })
  .refine((s) => (s.do ? 1 : 0) + (s.expect ? 1 : 0) === 1, 'each step has exactly one of "do" or "expect"');
export type ScenarioStep = z.infer<typeof ScenarioStepSchema>;

export const ScenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  steps: z.array(ScenarioStepSchema).min(1),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export interface StepResult {
  at: number;
  what: string;
  ok: boolean;
  detail: string;
  /** Seconds after the start when the step finished. */
  finishedAt: number;
}

export interface ScenarioReport {
  name: string;
  startedAt: number;
  finishedAt: number;
  passed: boolean;
  steps: StepResult[];
}

export interface ScenarioRunRecord {
  id: number;
  name: string;
  actor: string;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'passed' | 'failed' | 'error';
  report: ScenarioReport | null;
  /** Why a run ended in 'error' (it could not run at all). */
  error: string | null;
}

export interface ScenarioExample {
  file: string;
  scenario: Scenario;
}

/** GET /api/scenarios */
export interface ScenariosResponse {
  examples: ScenarioExample[];
  runs: ScenarioRunRecord[];
}

/** POST /api/scenarios/run: one of an example file's name or a whole scenario. */
export const ScenarioRunRequestSchema = z
  .object({ file: z.string().regex(/^[\w.-]+\.json$/, 'a file name from GET /api/scenarios').optional(), scenario: ScenarioSchema.optional() })
  .refine((r) => (r.file ? 1 : 0) + (r.scenario ? 1 : 0) === 1, 'give either file or scenario');
