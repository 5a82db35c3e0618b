// Integration: a storage fault on a BFT validator (real 4-node BFT testnet). The killed
// validator's block log loses its tail, while its signing WAL still remembers the higher height
// it decided: on restart it must take the finalized blocks back from its peers, reach the
// others' finalized tip with the same blocks, and vote again (the other three finalize with or
// without it, so its votes are read from the next commits).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BlockLog } from '../../node/chain/block-log.ts';
import { blockLogPath } from '../../node/data-dir.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startBftPlane, type BftPlane } from '../testing/bft-plane.ts';
import { blocksMissingParent } from '../testing/index-checks.ts';

describe('storage faults on a BFT validator', { timeout: 300_000 }, () => {
  let t: BftPlane;
  before(async () => {
    t = await startBftPlane({ blockTimeMs: 400 });
  });
  after(() => t?.stop());

  it('a validator whose log lost its tail catches up to the finalized tip and signs commits again', async (ctx) => {
    const id = t.ids[1];
    const local = t.plane.fleet.testnet!.nodes().find((l) => l.name === t.names.get(id))!;
    await waitFor(async () => (await t.tip(id)).height >= 15, { timeoutMs: 90_000, what: 'height 15 finalized' });
    await t.chaos({ kind: 'kill', node: id });
    const file = blockLogPath(local.dataDir);
    const stored = BlockLog.parse(fs.readFileSync(file)).blocks.length;
    const record = await t.chaos({ kind: 'storage-truncate', node: id, bytes: Math.floor(fs.statSync(file).size / 2) });
    assert.equal(record.status, 'applied', JSON.stringify(record.result));
    const kept = BlockLog.parse(fs.readFileSync(file)).blocks.length;
    assert.ok(kept < stored, `half the log cut: ${kept} of ${stored} blocks left`);

    await t.chaos({ kind: 'restart', node: id });
    const health = await t.clients.get(id)!.health();
    assert.equal(health.storage?.lastRepair?.keptBlocks, kept);

    // Back at the others' finalized tip, holding the same blocks.
    const others = t.ids.filter((x) => x !== id);
    const target = Math.max(...(await t.tips(others)).map((x) => x.height)) + 3;
    await waitFor(async () => (await t.tip(id)).height >= target, { timeoutMs: 90_000, what: `${t.names.get(id)} finalized height ${target}` });
    await t.assertSameChain(target);
    // And it votes again: a later commit carries its signature.
    const key = health.node.publicKey;
    const signed = await waitFor(
      async () => {
        // Any node's copy: each keeps the commit it decided or first received.
        const pages = await Promise.all(t.ids.map((x) => t.clients.get(x)!.blocks(target, 20)));
        return pages.flatMap((p) => p.blocks).find((b) => b.commit?.signatures.some((s) => s.validator === key));
      },
      { timeoutMs: 60_000, what: `a commit signed by ${t.names.get(id)} after its restart` },
    );
    ctx.diagnostic(`kept ${kept} of ${stored} blocks; finalized ${target} again; first commit it signed after: height ${signed.header.height}`);
    assert.equal(await blocksMissingParent(t.plane.prisma), 0);
    // Catching up below the height its signing WAL had decided is expected, not an error.
    const errors = fs
      .readFileSync(path.join(local.dataDir, 'node.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"level":"error"'));
    assert.deepEqual(errors, [], 'no error logged by the restarted validator');
  });
});
