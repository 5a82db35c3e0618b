import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RELAYS_PER_SLOT, RelayFilter } from './relay-filter.ts';

describe('relay filter', () => {
  it('admits the first message of a slot and the first conflicting one, no more, until the next height', () => {
    const f = new RelayFilter();
    const admitted = Array.from({ length: 5 }, () => f.admit('prevote/0/alice'));
    assert.deepEqual(admitted, [true, true, false, false, false]);
    assert.equal(RELAYS_PER_SLOT, 2);
    assert.equal(f.admit('prevote/0/bob'), true, 'slots are counted apart');
    assert.equal(f.admit('precommit/0/alice'), true);
    f.reset();
    assert.equal(f.admit('prevote/0/alice'), true, 'a new height starts afresh');
  });
});
