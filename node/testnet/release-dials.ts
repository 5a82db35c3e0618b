// The one line a launcher writes on a node's stdin to let a node started with --hold-dials dial
// its peers (node/cli/node.ts reads it; node/testnet/local-testnet.ts writes it once every node
// of a starting testnet answers /health). Its own module: the daemon must not import the launcher.
export const RELEASE_DIALS = 'dial';
