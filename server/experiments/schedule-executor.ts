// Carries out a resolved fault schedule against a control plane through its chaos API, the way
// a user would: each step at its time (node names, as files write them, turned into ids when the
// step runs, so a node added earlier can be named), then waits until the run's duration is up.
// Whatever happens (the end, a cancel, a step that fails) the network is healed before it
// returns, so that the last recovery can be measured. A cancelled run stops before its next step.
import type { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import { resolveNames } from '../control/node-names.ts';
import { sleep } from '../../lib/abortable-sleep.ts';
import type { ResolvedStep } from './schedule.ts';

export interface ScheduleRun {
  api: ControlPlaneClient;
  /** When the run began (ms): step times count from here. */
  startedAt: number;
  /** Seconds from the start to the end of the run. */
  durationSec: number;
  /** Aborting stops the run before its next step (or while it waits for the end). */
  signal?: AbortSignal;
  /** One line per event, for a terminal or a log. */
  say?: (line: string) => void;
}

/** Applies every step at its time and heals at the end; `cutShort` when the signal stopped it early. A step the API refuses throws (after the heal). */
export async function executeSchedule(schedule: readonly ResolvedStep[], run: ScheduleRun): Promise<{ cutShort: boolean }> {
  const say = run.say ?? (() => undefined);
  const { api, startedAt, signal } = run;
  let cutShort = false;
  try {
    for (const step of schedule) {
      await sleep(startedAt + step.at * 1000 - Date.now(), signal);
      if (signal?.aborted) {
        cutShort = true;
        break;
      }
      const nodes = (await api.call('nodes', {})).nodes;
      const idOf = (nameOrId: string) => {
        const n = nodes.find((x) => x.name === nameOrId || x.id === nameOrId);
        if (!n) throw new Error(`step at ${step.at} s (${step.action.kind}): no node named ${nameOrId} (known: ${nodes.map((x) => x.name).join(', ')})`);
        return n.id;
      };
      const { action } = await api.call('applyChaos', { body: resolveNames(step.action as Record<string, unknown>, idOf) });
      say(`${step.at.toFixed(0).padStart(5)} s  ${action.kind} → ${action.status}${action.targets.length ? ` on ${action.targets.join(', ')}` : ''}`);
    }
    if (!cutShort) await sleep(startedAt + run.durationSec * 1000 - Date.now(), signal);
    cutShort ||= signal?.aborted === true;
  } finally {
    // Whatever happened, the run ends healed, so that the last recovery can be measured.
    await api.call('applyChaos', { body: { kind: 'heal' } }).catch((err: Error) => say(`could not heal at the end: ${err.message}`));
    say(`${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s  heal everything`);
  }
  return { cutShort };
}
