// Starts a Node in the test process (no child process) on a free loopback port, with its
// logs in a file the test can read.
import path from 'node:path';
import { nodeConfigSchema, type NodeConfigInput } from '../config.ts';
import { createLogger } from '../logger.ts';
import { Node } from '../node.ts';

export async function startInProcessNode(dataDir: string, overrides: Partial<NodeConfigInput> & { genesisFile: string }): Promise<{ node: Node; logFile: string }> {
  const logFile = path.join(dataDir, 'node.log');
  const config = nodeConfigSchema().parse({
    dataDir,
    port: 0,
    name: path.basename(dataDir),
    keyFile: path.join(dataDir, 'key.json'),
    txRate: 0,
    logLevel: 'debug',
    ...overrides,
  });
  const node = new Node(config, { logger: createLogger({ level: config.logLevel, name: config.name, file: logFile }) });
  await node.start();
  return { node, logFile };
}
