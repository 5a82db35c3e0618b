// `npm run k8s -- render` as a process: files or a YAML stream out, exit code 2 and a message
// naming the option for bad arguments.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function k8s(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('render writes one YAML per object into the output directory, readable by the user only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-render-'));
  try {
    fs.writeFileSync(path.join(dir, '99-stale.yaml'), 'kind: Left\n');
    const r = k8s('render', '--nodes', '16', '--consensus', 'bft', '--replicas', '2', '--namespace', 'lab', '--out', dir);
    assert.equal(r.code, 0, r.stderr);
    const files = fs.readdirSync(dir).sort();
    assert.equal(files.length, 13);
    assert.ok(!files.includes('99-stale.yaml'), 'an earlier render is replaced');
    assert.doesNotMatch(r.stderr, /leader election/);
    assert.match(r.stderr, /DATABASE_URL/);
    for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is 0600`);
    const stsFile = path.join(
      dir,
      files.find((f) => f.includes('statefulset'))!,
    );
    const sts = parseAllDocuments(fs.readFileSync(stsFile, 'utf8'))[0].toJS() as { spec: { replicas: number } };
    assert.equal(sts.spec.replicas, 16);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('render --out - prints every object as one YAML stream', () => {
  const r = k8s('render', '--nodes', '4', '--out', '-');
  assert.equal(r.code, 0, r.stderr);
  const kinds = parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind);
  assert.deepEqual(kinds, ['ConfigMap', 'Secret', 'Secret', 'Secret', 'Service', 'StatefulSet', 'ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'Ingress']);
});

for (const [what, args, says] of [
  ['--nodes 0', ['--nodes', '0'], /--nodes: at least 1/],
  ['--consensus foo', ['--consensus', 'foo'], /--consensus: one of poa, bft/],
  ['--nodes 4x', ['--nodes', '4x'], /--nodes/],
  ['--max-nodes below --nodes', ['--nodes', '4', '--max-nodes', '3'], /--max-nodes: at least --nodes/],
  ['an unknown option', ['--nodez', '4'], /unknown option '--nodez'/],
] as const) {
  test(`render with ${what} exits with code 2 and says what is wrong`, () => {
    const r = k8s('render', '--out', '-', ...args);
    assert.equal(r.code, 2);
    assert.match(r.stderr, says);
    assert.equal(r.stdout, '');
  });
}
