// Runs a chaos scenario against a control plane over its public API: each step at its time,
// actions through POST /api/chaos, expectations by polling /api/health and /api/nodes. The
// result is a pass/fail report per step; a failed step does not stop the run, so the report
// shows everything, and the network is always healed at the end. A cancelled run (`signal`)
// stops before its next step, or while it waits, and heals the same way.
import type { ChaosAction } from '../../wire/chaos-api.ts';
import { resolveNames } from '../control/node-names.ts';
import type { NodesResponse } from '../../wire/explorer-api.ts';
import { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import { sleep } from '../../lib/abortable-sleep.ts';
import type { Expectation, Scenario, ScenarioReport, StepResult } from '../../wire/scenario.ts';

export interface ScenarioTarget {
  baseUrl: string;
  token: string;
  /** Poll interval for expectations (ms). */
  pollMs?: number;
  log?: (line: string) => void;
  /** Aborting it cancels the run: no further step starts, a waiting step stops waiting. */
  signal?: AbortSignal;
}

const clientOf = (t: ScenarioTarget) => new ControlPlaneClient(t.baseUrl, { token: t.token, timeoutMs: 10_000 });

export async function runScenario(scenario: Scenario, t: ScenarioTarget): Promise<ScenarioReport> {
  const log = t.log ?? (() => undefined);
  const pollMs = t.pollMs ?? 250;
  const cancelled = () => t.signal?.aborted === true;
  // Nodes are looked up when each step runs: a node added mid-scenario can be named later.
  const nodeList = async () => (await clientOf(t).call('nodes', {})).nodes;
  const startedAt = Date.now();
  const elapsed = () => (Date.now() - startedAt) / 1000;
  const steps: StepResult[] = [];
  const ordered = [...scenario.steps].sort((a, b) => a.at - b.at);
  log(`scenario "${scenario.name}": ${ordered.length} steps`);

  try {
    for (const step of ordered) {
      if (cancelled()) break;
      const wait = startedAt + step.at * 1000 - Date.now();
      if (wait > 0) await sleep(wait, t.signal);
      if (cancelled()) break;
      let result: StepResult;
      if (step.do) {
        result = await doAction(t, step.at, step.do, await nodeList(), elapsed);
      } else {
        result = await check(
          t,
          step.at,
          step.expect!,
          startedAt,
          pollMs,
          (await nodeList()).map((n) => n.id),
          elapsed,
          t.signal,
        );
      }
      steps.push(result);
      log(`${result.ok ? 'PASS' : 'FAIL'}  t=${result.finishedAt.toFixed(1)}s  ${result.what}: ${result.detail}`);
    }
  } finally {
    // Leave the network as we found it, whatever happened.
    await post(t, { kind: 'heal' }).catch((err: Error) => log(`could not heal at the end: ${err.message}`));
  }
  if (cancelled()) {
    log(`cancelled after ${steps.length} of ${ordered.length} steps`);
    return { name: scenario.name, startedAt, finishedAt: Date.now(), passed: false, steps, cancelled: true };
  }
  const passed = steps.every((s) => s.ok);
  return { name: scenario.name, startedAt, finishedAt: Date.now(), passed, steps };
}

async function post(t: ScenarioTarget, action: ChaosAction): Promise<{ status: string; result: Record<string, string> | null }> {
  return (await clientOf(t).call('applyChaos', { body: action }, { timeoutMs: 30_000 })).action;
}

async function doAction(t: ScenarioTarget, at: number, raw: Record<string, unknown>, nodes: NodesResponse['nodes'], elapsed: () => number): Promise<StepResult> {
  const what = `do ${String(raw.kind)}`;
  const idOf = (nameOrId: string) => {
    const n = nodes.find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!n) throw new Error(`no node named ${nameOrId} (known: ${nodes.map((x) => x.name).join(', ') || 'none yet'})`);
    return n.id;
  };
  try {
    const applied = await post(t, resolveNames(raw, idOf));
    return { at, what, ok: applied.status === 'applied', detail: applied.status, finishedAt: elapsed() };
  } catch (err) {
    return { at, what, ok: false, detail: (err as Error).message, finishedAt: elapsed() };
  }
}

async function check(
  t: ScenarioTarget,
  at: number,
  e: Expectation,
  startedAt: number,
  pollMs: number,
  nodeIds: string[],
  elapsed: () => number,
  signal?: AbortSignal,
): Promise<StepResult> {
  if (e.kind === 'max-reorg-depth') {
    const details = await Promise.all(nodeIds.map((id) => clientOf(t).call('nodeDetail', { params: { id } })));
    const deepest = Math.max(0, ...details.flatMap((d) => d.reorgs.filter((r) => r.at >= startedAt).map((r) => r.depth)));
    return { at, what: `expect no reorg deeper than ${e.depth}`, ok: deepest <= e.depth, detail: `deepest reorg ${deepest}`, finishedAt: elapsed() };
  }
  const from = Date.now();
  const deadline = from + e.withinSec * 1000;
  const what = `expect ${e.kind} within ${e.withinSec} s`;
  for (;;) {
    let holds = false;
    let state: string;
    try {
      if (e.kind === 'all-in-sync') {
        const nodes = (await clientOf(t).call('nodes', {})).nodes;
        holds = nodes.every((n) => n.status === 'in-sync');
        state = nodes.map((n) => `${n.name} ${n.status}`).join(', ');
      } else {
        const h = await clientOf(t).call('health', {});
        holds = h.network.status === (e.kind === 'agreement' ? 'agreed' : 'forked');
        state = `network ${h.network.status}`;
      }
    } catch (err) {
      state = (err as Error).message;
    }
    if (holds) return { at, what, ok: true, detail: `after ${((Date.now() - from) / 1000).toFixed(1)} s`, finishedAt: elapsed() };
    if (Date.now() >= deadline) return { at, what, ok: false, detail: `still ${state}`, finishedAt: elapsed() };
    if (signal?.aborted) return { at, what, ok: false, detail: `cancelled while waiting (${state})`, finishedAt: elapsed() };
    await sleep(pollMs, signal);
  }
}
