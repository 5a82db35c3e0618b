// Resolves an experiment's fault schedule into timed chaos actions, deterministically from the
// seed: explicit steps stay as written (sorted); a generator draws one fault from its set at
// each tick and gives it `faultSec` to live (as the action's own duration when its kind takes
// one, else as a step that undoes it: a restart after a kill, else a heal). Same experiment + same seed → the same steps, which is what makes
// a run replayable and two runs (PoA and BFT) comparable.
import { seededRandom } from '../../lib/seeded-random.ts';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import type { Experiment } from '../../wire/experiment.ts';

export interface ResolvedStep {
  /** Seconds after the run's start. */
  at: number;
  action: ChaosAction;
}

export function resolveSchedule(experiment: Experiment, seed: number): ResolvedStep[] {
  const s = experiment.schedule;
  if (s.kind === 'steps') return s.steps.map((x) => ({ at: x.at, action: x.do })).sort((a, b) => a.at - b.at);
  const random = seededRandom(seed);
  const out: ResolvedStep[] = [];
  for (let at = s.fromSec; at < s.untilSec; at += s.everySec) {
    const fault = s.faults[Math.floor(random() * s.faults.length)];
    const timed = ChaosActionSchema.safeParse({ ...fault, durationSec: Math.round(s.faultSec) });
    if (timed.success && 'durationSec' in timed.data) {
      out.push({ at, action: timed.data });
    } else {
      out.push({ at, action: fault }, { at: at + s.faultSec, action: undoOf(fault) });
    }
  }
  return out;
}

/** What ends a fault that has no duration of its own: a killed node is started again, anything else healed. */
function undoOf(fault: ChaosAction): ChaosAction {
  return fault.kind === 'kill' ? { kind: 'restart', node: fault.node } : { kind: 'heal' };
}

/** A seed for a run that names none: recorded with the run so it can be replayed. */
export function drawSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}
