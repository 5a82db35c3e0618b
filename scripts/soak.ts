// `npm run soak`: the node soak (node/cli/soak.ts), or with --chaos the control-plane chaos
// soak (server/cli/chaos-soak.ts). Kept apart so node/ never depends on server/.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const chaos = args.includes('--chaos');
const script = chaos ? 'server/cli/chaos-soak.ts' : 'node/cli/soak.ts';
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args.filter((a) => a !== '--chaos')], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
