// `npm run soak`: the node soak (node/cli/soak.ts), or with --chaos the control-plane chaos
// soak (server/cli/chaos-soak.ts). Kept apart so node/ never depends on server/.
// Only --chaos is this dispatcher's own option; everything else, --help included, goes to the
// chosen soak, whose own commander program parses, checks and documents it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const program = new Command('soak')
  .option('--chaos', 'run the control-plane chaos soak instead of the node soak')
  .helpOption(false)
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .parse();
const chaos = program.opts<{ chaos?: boolean }>().chaos === true;
const script = chaos ? 'server/cli/chaos-soak.ts' : 'node/cli/soak.ts';
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...program.args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
