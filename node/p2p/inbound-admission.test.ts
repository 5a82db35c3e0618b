// The admission policy at the /p2p upgrade, without sockets: order of checks, what each
// refusal says, and that attempts are counted per address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InboundAdmission, type InboundCounts } from './inbound-admission.ts';

const limits = { maxInbound: 4, maxPendingHandshakes: 6, maxPendingPerAddress: 3, maxAttemptsPerMinute: 5 };
const counts = (connected = 0, pending: Record<string, number> = {}): InboundCounts => ({
  connected,
  pending: Object.values(pending).reduce((a, b) => a + b, 0),
  pendingFrom: (ip) => pending[ip] ?? 0,
});

describe('InboundAdmission', () => {
  it('admits while under every cap', () => {
    assert.equal(new InboundAdmission(limits, () => false).admit('10.0.0.1', counts()), null);
  });

  it('a banned address is refused with 403 first, without spending its attempts', () => {
    let banned = true;
    const a = new InboundAdmission(
      limits,
      () => banned,
      () => 0,
    );
    for (let i = 0; i < 20; i++) assert.equal(a.admit('10.0.0.1', counts())?.reason, 'address_banned');
    assert.equal(a.admit('10.0.0.1', counts())?.status, 403);
    banned = false;
    assert.equal(a.admit('10.0.0.1', counts()), null, 'its bucket is untouched by the refusals');
  });

  it('refuses with 429 past the attempts a minute, per address, and admits again as tokens come back', () => {
    let t = 0;
    const a = new InboundAdmission(
      limits,
      () => false,
      () => t,
    );
    for (let i = 0; i < 5; i++) assert.equal(a.admit('10.0.0.1', counts()), null);
    const r = a.admit('10.0.0.1', counts());
    assert.deepEqual([r?.reason, r?.status], ['attempt_rate', 429]);
    assert.equal(a.admit('10.0.0.2', counts()), null, 'another address has its own bucket');
    t = 12_000; // 5 a minute: one token every 12 s
    assert.equal(a.admit('10.0.0.1', counts()), null);
  });

  it('caps handshakes in progress per address and overall (503), apart from peer slots', () => {
    const a = new InboundAdmission(limits, () => false);
    assert.equal(a.admit('10.0.0.1', counts(0, { '10.0.0.1': 3 }))?.reason, 'pending_address_full');
    assert.equal(a.admit('10.0.0.2', counts(0, { '10.0.0.1': 3 })), null, 'another address may still handshake');
    assert.equal(a.admit('10.0.0.3', counts(0, { '10.0.0.1': 3, '10.0.0.2': 3 }))?.reason, 'pending_full');
    // Pending sockets never take a peer slot: 3 pending and 3 connected leave one slot of 4.
    assert.equal(a.admit('10.0.0.4', counts(3, { '10.0.0.1': 3 })), null);
    const full = a.admit('10.0.0.4', counts(4));
    assert.deepEqual([full?.reason, full?.status], ['inbound_full', 503]);
  });
});
