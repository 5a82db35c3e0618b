// The import-boundary rules of eslint.config.js really fire: each case lints a one-line file
// at a path in the tree through the project's own config (type-aware rules off, since the
// files are virtual) and checks whether `boundaries/imports` reports it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [tseslint.configs.disableTypeChecked, { languageOptions: { parserOptions: { projectService: false } } }],
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${file} did not parse`);
  return result.messages.filter((m) => m.ruleId === 'boundaries/imports').map((m) => m.message);
}

// [file, source, whether the boundary rule must report it]
const cases: Array<[string, string, boolean]> = [
  // wire/: zod and wire/ only
  ['wire/contract.ts', "import { z } from 'zod';", false],
  ['wire/contract.ts', "import { Other } from './other.ts';", false],
  ['wire/contract.ts', "import { Block } from '../node/chain/block.ts';", true],
  ['wire/contract.ts', "import { createHash } from 'node:crypto';", true],
  ['wire/contract.ts', "import type { Logger } from 'pino';", true],
  // lib/: wire/, lib/ and packages
  ['lib/backoff.ts', "import { X } from '../wire/explorer-api.ts';", false],
  ['lib/free-port.ts', "import net from 'node:net';", false],
  ['lib/router.ts', "import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';", false],
  ['lib/router.ts', "import { prisma } from '../server/db/client.ts';", true],
  ['lib/router.ts', "import { Chain } from '../node/chain/chain.ts';", true],
  // app/: wire/, app/ and packages, whatever the depth or the spelling
  ['app/_ui/blocks/Deep.tsx', "import { api } from '../../_lib/api.ts';", false],
  ['app/_ui/blocks/Deep.tsx', "import type { BlockSummary } from '../../../wire/explorer-api.ts';", false],
  ['app/_ui/blocks/Deep.tsx', "import { useQuery } from '@tanstack/react-query';", false],
  ['app/_ui/blocks/Deep.tsx', "import { prisma } from '../../../server/db/client.ts';", true],
  ['app/page.tsx', "import { prisma } from '../server/db/client.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "import { prisma } from '@/server/db/client.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "import type { Block } from '../../../node/chain/block.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "import { Backoff } from '../../../lib/backoff.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "export * from '../../../server/db/client.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "export { prisma } from '../../../server/db/client.ts';", true],
  ['app/_ui/blocks/Deep.tsx', "export const load = () => import('../../../server/db/client.ts');", true],
  ['app/_ui/blocks/Deep.tsx', "export type Db = typeof import('../../../server/db/client.ts');", true],
  // node/: never server/, app/, bench/
  ['node/chain/chain.ts', "import { X } from '../../wire/explorer-api.ts';", false],
  ['node/chain/chain.ts', "import { Y } from '../p2p/messages.ts';", false],
  ['node/chain/chain.ts', "import { prisma } from '../../server/db/client.ts';", true],
  ['node/node.ts', "import { prisma } from '../server/db/client.ts';", true],
  ['node/chain/chain.ts', "import { Page } from '../../app/page.tsx';", true],
  ['node/chain/chain.ts', "import { run } from '../../bench/run.ts';", true],
  // node/p2p: never node/consensus or node/sync
  ['node/p2p/p2p-host.ts', "import { Engine } from '../consensus/engine.ts';", true],
  ['node/p2p/deep/codec.ts', "import { Engine } from '../../consensus/engine.ts';", true],
  ['node/p2p/p2p-host.ts', "import { gossip } from '../sync/gossip.ts';", true],
  ['node/p2p/p2p-host.ts', "import { Block } from '../chain/block.ts';", false],
  ['node/p2p/p2p-host.ts', "import { Backoff } from './backoff.ts';", false],
  ['node/sync/gossip.ts', "import { Engine } from '../consensus/engine.ts';", false],
  // server domain code (and the read models and live hub beside it): never server/api
  ['server/control/chaos-controller.ts', "import { ApiError } from '../api/http-error.ts';", true],
  ['server/scenarios/scenario-service.ts', "import { ApiError } from '../api/http-error.ts';", true],
  ['server/monitor/monitor.ts', "import { readModel } from '../api/read-model.ts';", true],
  ['server/indexer/deep/writer.ts', "import { readModel } from '../../api/read-model.ts';", true],
  ['server/control/chaos-controller.ts', "import { NodeClient } from '../../node/api/client.ts';", false],
  ['server/control/chaos-controller.ts', "import { prisma } from '../db/client.ts';", false],
  ['server/api/api-router.ts', "import { Chaos } from '../control/chaos-controller.ts';", false],
  ['server/live/live-hub.ts', "import { readModel } from '../api/read-model.ts';", true],
  ['server/read/fork-queries.ts', "import { ApiError } from '../api/http-error.ts';", true],
  ['server/live/live-wiring.ts', "import { ExplorerQueries } from '../read/explorer-queries.ts';", false],
  // bench/ and e2e/: only they import themselves
  ['scripts/soak.ts', "import { args } from '../bench/core/args.ts';", true],
  ['server/main.ts', "import { fixture } from '../e2e/fixtures.ts';", true],
  ['bench/sync/bench-sync.ts', "import { args } from '../core/args.ts';", false],
  ['e2e/pages.spec.ts', "import { fixture } from './fixtures.ts';", false],
  ['bench/sync/bench-sync.ts', "import { fixture } from '../../e2e/fixtures.ts';", true],
];

for (const [file, source, fires] of cases) {
  test(`${file}: ${source} ${fires ? 'is reported' : 'is allowed'}`, async () => {
    const errors = await boundaryErrors(file, source);
    assert.equal(errors.length, fires ? 1 : 0, errors.join('\n'));
  });
}

test('a report names where the import resolves and why the boundary exists', async () => {
  const [message] = await boundaryErrors('node/p2p/deep/codec.ts', "import { Engine } from '../../consensus/engine.ts';");
  assert.match(message, /resolves to node\/consensus\/engine\.ts/);
  assert.match(message, /p2p knows nothing of consensus/);
});
