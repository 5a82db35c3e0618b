// `npm run build:dist [-- --out-dir DIR] [--if-stale]`: the server and the node daemon compiled
// to plain JavaScript (tsc, tsconfig.build.json), in the same layout as the sources, so every
// path found from a module's own location still holds: server/main.js, node/cli/node.js, and
// prisma/migrations beside them for the migrations applied at start. node/cli/node.js is then
// replaced by one bundled file (node/runtime/node-bundle.ts): what each of many node processes
// loads at start. The Dockerfile's build stage runs this; the image runs `node server/main.js`
// and `node node/cli/node.js`, no tsx. `npm start` runs it with --if-stale
// (scripts/start-compiled.mjs): it builds only when the hash of the sources differs from the
// one stamped in DIR/.source-stamp by the last build, so a stale build never runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeBundle } from '../node/runtime/bundle-build.ts';
import { sourceHash } from '../lib/source-hash.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const STAMP_FILE = '.source-stamp';

/** Every input of the build: a change to any of them makes a build stale. */
function buildInputsHash(): string {
  return sourceHash(root, ['server', 'node', 'lib', 'wire', 'prisma'], ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']);
}

function parseOutDir(argv: string[]): string {
  const i = argv.indexOf('--out-dir');
  if (i === -1) return path.join(root, 'dist');
  const dir = argv[i + 1];
  if (!dir) {
    console.error('--out-dir needs a directory');
    process.exit(2);
  }
  return path.resolve(dir);
}

/** The compiled tree's package.json: ES modules, and `#server-only` pointing at the compiled file. */
function distPackageJson(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; engines: unknown };
  return (
    JSON.stringify(
      {
        name: pkg.name,
        version: pkg.version,
        private: true,
        type: 'module',
        engines: pkg.engines,
        imports: { '#server-only': { browser: 'server-only', default: './server/server-only-node.js' } },
      },
      null,
      2,
    ) + '\n'
  );
}

async function main(): Promise<void> {
  const outDir = parseOutDir(process.argv.slice(2));
  // Modules resolve their packages from the node_modules above them: the output must sit in
  // the project (the image copies node_modules beside it).
  if (path.relative(root, outDir).startsWith('..')) {
    console.error(`--out-dir must be inside ${root} (compiled modules find node_modules from there)`);
    process.exit(2);
  }
  const hash = buildInputsHash();
  const stampFile = path.join(outDir, STAMP_FILE);
  if (process.argv.includes('--if-stale') && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === hash) return;
  fs.rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  console.log(`compiling the server and node into ${path.relative(process.cwd(), outDir) || '.'} (sources changed since the last build, or none yet)…`);
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.error(`tsc failed (exit ${tsc.status ?? tsc.signal})`);
    process.exit(1);
  }
  fs.cpSync(path.join(root, 'prisma', 'migrations'), path.join(outDir, 'prisma', 'migrations'), { recursive: true });
  fs.copyFileSync(path.join(root, 'prisma', 'schema.prisma'), path.join(outDir, 'prisma', 'schema.prisma'));
  fs.writeFileSync(path.join(outDir, 'package.json'), distPackageJson());
  await buildNodeBundle(path.join(root, 'node/cli/node.ts'), path.join(outDir, 'node/cli/node.js'));
  fs.rmSync(path.join(outDir, 'node/cli/node.js.map'), { force: true }); // tsc's map, of the file replaced
  // Last: a build that failed part-way has no stamp, so the next --if-stale builds again.
  fs.writeFileSync(stampFile, `${hash}\n`);
  console.log(`compiled into ${path.relative(process.cwd(), outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await main();
