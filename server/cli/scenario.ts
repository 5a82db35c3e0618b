// `npm run scenario -- FILE`: run a chaos scenario (JSON) against a running control plane
// and print a pass/fail line per step; exits 1 when any expectation failed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ScenarioSchema } from '../../wire/scenario.ts';
import { runScenario } from '../scenarios/scenario-runner.ts';

const program = new Command()
  .name('scenario')
  .description('Run a chaos scenario file against a running control plane (npm start)')
  .argument('<file>', 'scenario JSON file, e.g. scenarios/split-brain.json')
  .option('--url <url>', 'control plane URL', 'http://localhost:3000')
  .option('--token-file <file>', 'control token file (CONTROL_TOKEN wins when set)', './data/control-token')
  .parse();

async function main(): Promise<void> {
  const [file] = program.args;
  const opts = program.opts<{ url: string; tokenFile: string }>();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path.basename(file)}: ${i.path.join('.')}: ${i.message}`);
  }
  const token = process.env.CONTROL_TOKEN ?? readFileSync(opts.tokenFile, 'utf8').trim();
  const report = await runScenario(parsed.data, { baseUrl: opts.url.replace(/\/$/, ''), token, log: (l) => console.log(l) });
  const failed = report.steps.filter((s) => !s.ok).length;
  console.log(
    `${report.passed ? 'PASS' : 'FAIL'} ${report.name}: ${report.steps.length - failed} of ${report.steps.length} steps ok in ${((report.finishedAt - report.startedAt) / 1000).toFixed(1)} s`,
  );
  process.exit(report.passed ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(`scenario: ${err.message}`);
  process.exit(2);
});
