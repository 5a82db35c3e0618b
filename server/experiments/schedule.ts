// Resolves an experiment's fault schedule into timed chaos actions, deterministically from the
// seed: explicit steps stay as written (sorted); a generator draws one fault from its set at
// each tick and gives it `faultSec` to live (as the action's own duration when its kind takes
// one, else as a step that undoes it: a restart after a kill, else a heal). A fault that picks
// its nodes at random and names no seed gets one from the run's seed. Same experiment + same seed → the same steps, which is what makes
// a run replayable and two runs (PoA and BFT) comparable.
import { seededRandom } from '../../lib/seeded-random.ts';
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';
import type { Experiment } from '../../wire/experiment.ts';
import { isNodeTargeted, sameTargets } from '../control/node-targets.ts';

export interface ResolvedStep {
  /** Seconds after the run's start. */
  at: number;
  action: ChaosAction;
}

export function resolveSchedule(experiment: Experiment, seed: number): ResolvedStep[] {
  const s = experiment.schedule;
  // A step names its faults whole; one that picks nodes at random and names no seed takes the
  // run's seed, so a kill and the restart after it with the same selector pick the same nodes.
  if (s.kind === 'steps') return s.steps.map((x) => ({ at: x.at, action: seeded(x.do, () => seed) })).sort((a, b) => a.at - b.at);
  const random = seededRandom(seed);
  const out: ResolvedStep[] = [];
  for (let at = s.fromSec; at < s.untilSec; at += s.everySec) {
    // Each generated pick draws its own seed from the run's random (its undo step repeats it).
    const fault = seeded(s.faults[Math.floor(random() * s.faults.length)], () => Math.floor(random() * 0x100000000));
    const timed = ChaosActionSchema.safeParse({ ...fault, durationSec: Math.round(s.faultSec) });
    if (timed.success && 'durationSec' in timed.data) {
      out.push({ at, action: timed.data });
    } else {
      out.push({ at, action: fault }, { at: at + s.faultSec, action: undoOf(fault) });
    }
  }
  return out;
}

/**
 * What ends a fault that has no duration of its own: the killed nodes are started again (the
 * same `node`, or the same selector and seed, which pick the same nodes again), anything else healed.
 */
function undoOf(fault: ChaosAction): ChaosAction {
  return fault.kind === 'kill' ? { kind: 'restart', ...sameTargets(fault) } : { kind: 'heal' };
}

/**
 * A fault whose targets are picked at random (a selector, a partition shape) and that names no
 * seed gets `seedOf()`: the run's seed then decides which nodes it hits. Others pass unchanged.
 */
function seeded(fault: ChaosAction, seedOf: () => number): ChaosAction {
  const picksAtRandom = fault.kind === 'partition-shape' || (isNodeTargeted(fault) && fault.select !== undefined);
  if (!picksAtRandom || fault.seed !== undefined) return fault;
  return { ...fault, seed: seedOf() };
}

/** A seed for a run that names none: recorded with the run so it can be replayed. */
export function drawSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}
