// The two recorded fixture runs (e2e/fixtures/runs), parsed through the wire contract, for the
// run pages' unit tests: the same split-brain schedule on PoA and on BFT.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RunFileSchema, type RunFile } from '../../../wire/run-api.ts';

export function fixtureRun(engine: 'poa' | 'bft'): RunFile['run'] {
  const path = fileURLToPath(new URL(`../../../e2e/fixtures/runs/split-brain-${engine}.run.json`, import.meta.url));
  return RunFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).run;
}
