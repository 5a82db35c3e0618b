// The Dockerfile and the manifests must agree, since no test here can build the image (no
// Docker engine): the pods run the entries the build stage compiles, as the user the image
// declares, and every npm script the Dockerfile runs exists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RUN_AS_USER } from './names.ts';
import { NODE_ENTRY } from './objects/node-statefulset.ts';
import { SERVER_ENTRY } from './objects/server-deployment.ts';

const ROOT = new URL('../../', import.meta.url);
const dockerfile = fs.readFileSync(fileURLToPath(new URL('Dockerfile', ROOT)), 'utf8');
const scripts = (JSON.parse(fs.readFileSync(fileURLToPath(new URL('package.json', ROOT)), 'utf8')) as { scripts: Record<string, string> }).scripts;

test('the image is multi-stage and its last stage runs as the non-root user the pods run as', () => {
  const stages = dockerfile.split('\n').filter((l) => /^FROM\s/i.test(l));
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
  assert.equal(user, `${RUN_AS_USER}:${RUN_AS_USER}`);
  assert.match(runtime, new RegExp(`CMD \\["node", "${SERVER_ENTRY}"\\]`));
  assert.doesNotMatch(runtime, /tsx/, 'the runtime stage runs compiled JavaScript');
});

test('every npm script the Dockerfile runs exists, including the compile step', () => {
  const runs = [...dockerfile.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
  assert.ok(runs.includes('build:dist'));
  for (const name of runs) assert.ok(scripts[name], `npm run ${name} exists`);
});

test('the entries the pods run are the compiled forms of the real entry points', () => {
  for (const entry of [NODE_ENTRY, SERVER_ENTRY]) {
    assert.ok(fs.existsSync(fileURLToPath(new URL(entry.replace(/\.js$/, '.ts'), ROOT))), `${entry} compiles from a source file`);
  }
});
