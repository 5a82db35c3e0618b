import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSample } from './sync-check.ts';

const parents: Record<string, string> = { b2: 'b1', x2: 'x1' };
const parentOf = async (h: string) => parents[h] ?? null;

describe('scale: the in-sync rule', () => {
  it('accepts one head everywhere, or a block on its way (1 behind, on the same branch)', async () => {
    assert.equal(
      (
        await judgeSample(
          [
            { height: 2, hash: 'b2' },
            { height: 2, hash: 'b2' },
          ],
          parentOf,
        )
      ).inSync,
      true,
    );
    const v = await judgeSample(
      [
        { height: 2, hash: 'b2' },
        { height: 1, hash: 'b1' },
      ],
      parentOf,
    );
    assert.deepEqual(v, { inSync: true, spread: 1, topHeight: 2, why: null });
  });

  it('refuses a silent node, a lag of 2, a split top, or a lower node on another branch', async () => {
    assert.match((await judgeSample([{ height: 2, hash: 'b2' }, null], parentOf)).why!, /not reporting/);
    assert.match(
      (
        await judgeSample(
          [
            { height: 3, hash: 'b3' },
            { height: 1, hash: 'b1' },
          ],
          parentOf,
        )
      ).why!,
      /span 2/,
    );
    assert.match(
      (
        await judgeSample(
          [
            { height: 2, hash: 'b2' },
            { height: 2, hash: 'x2' },
          ],
          parentOf,
        )
      ).why!,
      /different blocks at the top/,
    );
    assert.match(
      (
        await judgeSample(
          [
            { height: 2, hash: 'b2' },
            { height: 1, hash: 'x1' },
          ],
          parentOf,
        )
      ).why!,
      /another branch/,
    );
  });
});
