// The V8 flags of a compiled node daemon, wherever it runs: local testnets (node-program.ts),
// Kubernetes (deploy/k8s/objects/node-statefulset.ts).

/**
 * A young generation of 1 MB semi-spaces, not up to 16 MB. A node keeps little of what it
 * allocates per message, so the bigger young generation bought little but ~5 MB of RSS a
 * process (`npm run bench -- node-runtime`), which a 64-node testnet on one machine pays 64
 * times. The tsx runtime (debugging) keeps V8's defaults.
 */
export const NODE_DAEMON_V8_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
