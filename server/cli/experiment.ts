// `npm run experiment -- FILE [--seed N] [--engine poa|bft] [--out run.json] [--upload URL]`:
// runs an experiment file on a fresh local testnet of its own and prints every fault, each
// heal's recovery and the verdict. The same file and seed replay the same schedule; --engine
// runs the same schedule on the other engine, to compare. --out writes the run file; --upload
// posts it to a running explorer (POST URL/api/runs/import, with CONTROL_TOKEN or --token) and
// prints the run's page. Exit code: 0 valid, 1 invalid, 3 unknown (the run could not be
// judged), 2 the file, the run itself or the upload failed.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ExperimentSchema, type Experiment } from '../../wire/experiment.ts';
import { runExperiment } from '../experiments/experiment-runner.ts';
import { drawSeed } from '../experiments/schedule.ts';
import { uploadRunFile } from '../runs/run-upload.ts';
import { recoverySpread } from '../experiments/verdict.ts';

const program = new Command()
  .name('experiment')
  .argument('<file>', 'experiment file (JSON; see experiments/ and the README)')
  .option('--seed <n>', 'seed of every random choice (default: the file’s, else drawn and printed)')
  .option('--engine <engine>', 'run on this consensus engine instead of the file’s (poa|bft)')
  .option('--out <file>', 'write the run as a run file (import it on the explorer: /runs, or POST /api/runs/import)')
  .option('--upload <url>', 'post the run to a running explorer at this URL (e.g. http://127.0.0.1:3000) and print its page')
  .option('--token <token>', 'control token of the explorer --upload posts to (default: the CONTROL_TOKEN environment variable)')
  .parse();

const [file] = program.args;
const o = program.opts<{ seed?: string; engine?: string; out?: string; upload?: string; token?: string }>();

function load(): Experiment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  if (o.engine !== undefined) {
    if (o.engine !== 'poa' && o.engine !== 'bft') throw new Error(`--engine must be poa or bft, not ${o.engine}`);
    raw = { ...(raw as object), testnet: { ...((raw as { testnet?: object }).testnet ?? {}), engine: o.engine } };
  }
  const parsed = ExperimentSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function main(): Promise<number> {
  const experiment = load();
  const seed = o.seed !== undefined ? Number(o.seed) : (experiment.seed ?? drawSeed());
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer from 0 to 4294967295, not ${o.seed}`);
  // Checked before the run, not after minutes of it.
  const uploadToken = o.token ?? process.env.CONTROL_TOKEN;
  if (o.upload !== undefined && !uploadToken) throw new Error('--upload needs the explorer’s control token: set CONTROL_TOKEN or pass --token');
  const abort = new AbortController();
  process.once('SIGINT', () => {
    console.log('\nstopping early: the verdict will say unknown where the run was cut short');
    abort.abort();
  });
  const run = await runExperiment(experiment, { seed, say: (line) => console.log(line), signal: abort.signal });
  const v = run.verdict;
  for (const r of v.recoveries)
    console.log(
      `fault #${r.faultId} ${r.kind}: ${r.interrupted ? 'next fault before recovery' : r.recoverySec === null ? 'NOT recovered' : `recovered ${r.recoverySec.toFixed(1)} s after heal`}`,
    );
  for (const [name, check] of [
    ['safety', v.safety],
    ['liveness', v.liveness],
    ['integrity', v.integrity],
  ] as const)
    console.log(`${name}: ${check.valid} (${check.reasons.join('; ')})`);
  const spread = recoverySpread(v);
  console.log(
    `VERDICT valid=${v.valid} safety=${v.safety.valid} liveness=${v.liveness.valid} integrity=${v.integrity.valid} engine=${run.history.engine} nodes=${run.history.nodes.length} ` +
      `faults=${run.history.faults.length} recovery median=${spread.median?.toFixed(1) ?? '-'}s max=${spread.max?.toFixed(1) ?? '-'}s seed=${seed}`,
  );
  if (o.out) {
    writeFileSync(o.out, JSON.stringify(run.file) + '\n');
    console.log(`run written to ${o.out}`);
  }
  if (o.upload !== undefined) {
    const uploaded = await uploadRunFile(run.file, { url: o.upload, token: uploadToken! });
    console.log(`run ${uploaded.created ? 'uploaded' : 'was already there'}: ${uploaded.page}`);
  }
  return v.valid === true ? 0 : v.valid === false ? 1 : 3;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`experiment: ${err.message}`);
    process.exit(2);
  },
);
