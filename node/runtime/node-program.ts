// How a launcher (local testnet, benchmarks) starts a node daemon process: the arguments to
// give `node` before the daemon's own options.
//   compiled (default): plain JavaScript, no loader. From a source checkout, the bundle of the
//     current sources (node-bundle.ts, rebuilt when any source changed); from a compiled tree
//     (`npm run build:dist`, the container image), dist's node/cli/node.js.
//   tsx: the TypeScript sources through the tsx loader, ~2.5× the memory and start-up CPU;
//     for debugging the daemon with source positions (TESTNET_NODE_RUNTIME=tsx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeBundle, runningFromSources } from './node-bundle.ts';
import { NODE_DAEMON_V8_FLAGS } from './v8-flags.ts';

export const NODE_RUNTIMES = ['compiled', 'tsx'] as const;
export type NodeRuntime = (typeof NODE_RUNTIMES)[number];

const here = path.dirname(fileURLToPath(import.meta.url));

/** The runtime asked for by TESTNET_NODE_RUNTIME, else compiled; a wrong value is an error, not ignored. */
export function nodeRuntimeFromEnv(env: NodeJS.ProcessEnv = process.env): NodeRuntime {
  const v = env.TESTNET_NODE_RUNTIME;
  if (v === undefined || v === '') return 'compiled';
  if ((NODE_RUNTIMES as readonly string[]).includes(v)) return v as NodeRuntime;
  throw new Error(`TESTNET_NODE_RUNTIME must be one of ${NODE_RUNTIMES.join(', ')}, not "${v}"`);
}

/**
 * `node` arguments that run the daemon, before its options. TESTNET_NODE_FLAGS adds node
 * flags to every node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a testnet).
 */
export function nodeProgram(runtime: NodeRuntime = nodeRuntimeFromEnv(), env: NodeJS.ProcessEnv = process.env): string[] {
  const flags = env.TESTNET_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  // A compiled tree has no TypeScript to load: its own node.js is the only choice.
  if (!runningFromSources()) return [...NODE_DAEMON_V8_FLAGS, ...flags, path.resolve(here, '../cli/node.js')];
  if (runtime === 'tsx') return [...flags, '--import', 'tsx', path.resolve(here, '../cli/node.ts')];
  return [...NODE_DAEMON_V8_FLAGS, ...flags, ensureNodeBundle()];
}
