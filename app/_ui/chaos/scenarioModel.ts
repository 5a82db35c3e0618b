// Pure helpers for the Scenarios panel: merging a run into the cached list, and describing a
// scenario before it runs.
import type { Scenario, ScenarioRunRecord, ScenariosResponse } from '../../../wire/scenario.ts';

/** Replace the run with the same id, or put a new one first (the list is newest first). */
export function withRun(old: ScenariosResponse | undefined, run: ScenarioRunRecord): ScenariosResponse | undefined {
  if (!old) return old;
  const i = old.runs.findIndex((r) => r.id === run.id);
  if (i >= 0) {
    // A late 'running' push must not overwrite a finished run.
    if (old.runs[i].status !== 'running' && run.status === 'running') return old;
    const runs = old.runs.slice();
    runs[i] = run;
    return { ...old, runs };
  }
  return { ...old, runs: [run, ...old.runs].sort((a, b) => b.id - a.id) };
}

/** About how long a scenario takes: the time of its last step (an expectation may wait a little longer). */
export function scenarioSeconds(scenario: Scenario): number {
  return Math.round(Math.max(0, ...scenario.steps.map((s) => s.at)));
}

export function runningRun(runs: readonly ScenarioRunRecord[]): ScenarioRunRecord | undefined {
  return runs.find((r) => r.status === 'running');
}

export const RUN_BADGE: Record<ScenarioRunRecord['status'], string> = {
  running: 'badge-warn',
  passed: 'badge-ok',
  failed: 'badge-bad',
  error: 'badge-bad',
  cancelled: 'badge-warn',
};
