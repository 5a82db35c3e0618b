// `npm start`: runs a program of this project as compiled JavaScript, not through the tsx loader
// (a lighter, faster-starting process). Usage: node scripts/start-compiled.mjs server/main.ts [args…]
// First brings dist/ up to date (scripts/build-dist.ts --if-stale: a build only when a source
// changed since the last one, judged by a hash of the sources, so old code never runs), then
// loads dist/<program>.js in this same process: its pid, signals and exit code are the program's.
// Plain JavaScript because it must run before anything is compiled.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const program = process.argv[2];
if (!program || !program.endsWith('.ts')) {
  console.error('usage: node scripts/start-compiled.mjs <program.ts> [args…]   e.g. server/main.ts');
  process.exit(2);
}

const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-dist.ts'), '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error(`could not compile ${program} (build exit ${build.status ?? build.signal}); \`npm run start:tsx\` runs the sources without compiling`);
  process.exit(1);
}

// The compiled tree lies in dist/, but the project (the explorer's pages, scenarios, data) is here.
process.env.EXPLORER_PROJECT_ROOT ??= root;
// The program reads its own options from argv[2…], as when started directly.
process.argv.splice(1, 2, path.join(root, 'dist', program.replace(/\.ts$/, '.js')));
await import(pathToFileURL(process.argv[1]).href);
