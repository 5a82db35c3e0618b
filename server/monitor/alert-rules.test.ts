import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { desiredAlerts } from './alert-rules.ts';

describe('desiredAlerts', () => {
  it('raises a critical halt alert with the reason on a halted BFT network', () => {
    const reason = 'no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)';
    const [a] = desiredAlerts({ status: 'halted', agreedHeight: 9, engine: 'bft', finalizedHeight: 9, reason }, []);
    assert.equal(a.kind, 'halt');
    assert.equal(a.severity, 'critical');
    assert.equal(a.message, `The network halted at finalized height 9: ${reason}`);
  });

  it('raises nothing for an agreed network', () => {
    assert.deepEqual(desiredAlerts({ status: 'agreed', agreedHeight: 9, engine: 'bft', finalizedHeight: 9 }, []), []);
  });
});
