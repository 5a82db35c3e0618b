// The schedule resolver: the same experiment and seed give the same steps (what makes a run
// replayable), another seed gives others, explicit steps stay as written, and a generated
// fault lives `faultSec` (its own duration, or a step that undoes it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ExperimentSchema, type Experiment } from '../../wire/experiment.ts';
import { resolveSchedule } from './schedule.ts';

const generated: Experiment = ExperimentSchema.parse({
  name: 'random faults',
  testnet: { engine: 'bft', nodes: 4 },
  durationSec: 320,
  schedule: {
    kind: 'generator',
    everySec: 10,
    fromSec: 5,
    untilSec: 305,
    faultSec: 7,
    faults: [
      {
        kind: 'partition',
        groups: [
          ['node-1', 'node-2'],
          ['node-3', 'node-4'],
        ],
      },
      { kind: 'loss', pct: 30 },
      { kind: 'pause', node: 'node-2' },
      { kind: 'kill', node: 'node-3' },
    ],
  },
});

describe('experiment schedule', () => {
  it('the same seed resolves the same schedule; another seed another one', () => {
    const a = resolveSchedule(generated, 2026);
    assert.deepEqual(resolveSchedule(generated, 2026), a);
    assert.notDeepEqual(resolveSchedule(generated, 7), a);
    const faults = a.filter((s) => s.action.kind !== 'heal' && s.action.kind !== 'restart');
    assert.equal(faults.length, 30); // 5, 15, …, 295
    assert.deepEqual(
      faults.slice(0, 3).map((s) => s.at),
      [5, 15, 25],
    );
    assert.ok(new Set(faults.map((s) => s.action.kind)).size >= 3, 'draws come from the whole set');
  });

  it('a generated fault lives faultSec: as its own duration, or undone by a step when its kind has none (a kill by a restart)', () => {
    const steps = resolveSchedule(generated, 1);
    const timed = steps.filter((s) => s.action.kind !== 'kill' && s.action.kind !== 'restart');
    assert.ok(timed.length > 0);
    for (const s of timed) assert.equal((s.action as { durationSec?: number }).durationSec, 7, JSON.stringify(s));
    const kills = ExperimentSchema.parse({ ...generated, schedule: { ...generated.schedule, faults: [{ kind: 'kill', node: 'node-3' }] } });
    const killSteps = resolveSchedule(kills, 1);
    assert.deepEqual(
      killSteps.slice(0, 4).map((s) => [s.at, s.action.kind]),
      [
        [5, 'kill'],
        [12, 'restart'],
        [15, 'kill'],
        [22, 'restart'],
      ],
    );
  });

  it('a generated fault that picks its nodes at random gets its seed from the run; the restart that ends a selector kill carries the same selector and seed', () => {
    const e = ExperimentSchema.parse({
      ...generated,
      schedule: {
        ...generated.schedule,
        faults: [
          { kind: 'kill', select: { pick: 'minority-third' } },
          { kind: 'pause', select: { pick: 'one' }, seed: 5 },
          { kind: 'partition-shape', shape: 'bridge' },
        ],
      },
    });
    const steps = resolveSchedule(e, 3);
    assert.deepEqual(resolveSchedule(e, 3), steps, 'the seeds follow from the run’s seed');
    const seedOf = (s: (typeof steps)[number]) => (s.action as { seed?: number }).seed;
    assert.ok(
      steps.filter((s) => s.action.kind !== 'heal').every((s) => Number.isInteger(seedOf(s))),
      'every pick is seeded',
    );
    assert.ok(
      steps.filter((s) => s.action.kind === 'pause').every((s) => seedOf(s) === 5),
      'a seed the file gives is kept',
    );
    const kills = steps.filter((s) => s.action.kind === 'kill');
    assert.ok(kills.length > 1 && new Set(kills.map(seedOf)).size > 1, 'each generated kill draws its own seed');
    for (const kill of kills) {
      const restart = steps.find((s) => s.action.kind === 'restart' && s.at === kill.at + 7);
      assert.ok(restart, `a restart 7 s after the kill at ${kill.at}`);
      assert.deepEqual(restart.action, { kind: 'restart', select: { pick: 'minority-third' }, seed: seedOf(kill) });
    }
  });

  it('an explicit step that picks nodes at random and names no seed takes the run’s seed, so a kill and its restart pick the same nodes', () => {
    const e = ExperimentSchema.parse({
      name: 'kill a third',
      testnet: { engine: 'bft', nodes: 4 },
      durationSec: 60,
      schedule: {
        kind: 'steps',
        steps: [
          { at: 5, do: { kind: 'kill', select: { pick: 'minority-third' } } },
          { at: 20, do: { kind: 'restart', select: { pick: 'minority-third' } } },
          { at: 30, do: { kind: 'partition-shape', shape: 'majorities-ring', seed: 3, durationSec: 10 } },
          { at: 45, do: { kind: 'pause', node: 'node-2' } },
        ],
      },
    });
    assert.deepEqual(
      resolveSchedule(e, 42).map((s) => s.action),
      [
        { kind: 'kill', select: { pick: 'minority-third' }, seed: 42 },
        { kind: 'restart', select: { pick: 'minority-third' }, seed: 42 },
        { kind: 'partition-shape', shape: 'majorities-ring', seed: 3, durationSec: 10 },
        { kind: 'pause', node: 'node-2' },
      ],
    );
  });

  it('explicit steps are kept as written, in time order', () => {
    const e = ExperimentSchema.parse({
      name: 'split brain',
      durationSec: 60,
      schedule: {
        kind: 'steps',
        steps: [
          { at: 31, do: { kind: 'heal' } },
          {
            at: 1,
            do: {
              kind: 'partition',
              groups: [
                ['node-1', 'node-2'],
                ['node-3', 'node-4'],
              ],
            },
          },
        ],
      },
    });
    assert.deepEqual(
      resolveSchedule(e, 99).map((s) => [s.at, s.action.kind]),
      [
        [1, 'partition'],
        [31, 'heal'],
      ],
    );
  });

  it('a file is refused whole when it cannot run: BFT under 4 nodes, a fault after the end, an unknown kind', () => {
    const base = { name: 'x', durationSec: 60, schedule: { kind: 'steps', steps: [{ at: 1, do: { kind: 'heal' } }] } };
    assert.equal(ExperimentSchema.safeParse(base).success, true);
    assert.equal(ExperimentSchema.safeParse({ ...base, testnet: { engine: 'bft', nodes: 3 } }).success, false);
    assert.equal(ExperimentSchema.safeParse({ ...base, durationSec: 1 }).success, false);
    assert.equal(ExperimentSchema.safeParse({ ...base, schedule: { kind: 'steps', steps: [{ at: 1, do: { kind: 'nuke' } }] } }).success, false);
    assert.equal(ExperimentSchema.safeParse({ ...base, schedule: { ...generated.schedule, faultSec: 20 } }).success, false); // longer than everySec
  });

  it('every example in experiments/ is a valid experiment file', () => {
    const dir = path.join(import.meta.dirname, '../../experiments');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3, files.join(', '));
    for (const f of files) {
      const r = ExperimentSchema.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      assert.ok(r.success, `${f}: ${JSON.stringify(!r.success && r.error.issues)}`);
    }
  });
});
