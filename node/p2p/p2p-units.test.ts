import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinkRuleSchema } from '../../wire/node-api.ts';
import { generateKeyPair } from '../chain/keys.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { P2PError } from './errors.ts';
import { LinkChaos, LinkShaper } from './link-chaos.ts';
import { BAN_THRESHOLD, PeerScoreBook } from './peer-score.ts';

const rule = (r: Record<string, unknown>) => LinkRuleSchema.parse(r);
const peer = { id: 'aaaaaaaaaaaaaaaa', publicKey: null, name: 'node-2' };

describe('envelopes', () => {
  const key = generateKeyPair();
  const head = { height: 1, hash: 'a'.repeat(64) };

  it('open what was sealed, whatever the key order on the wire', () => {
    const text = sealEnvelope('status', { head }, key, 123);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text)).reverse()));
    const o = openEnvelope(reordered);
    assert.equal(o.from, key.publicKey);
    assert.deepEqual(o.message, { type: 'status', payload: { head } });
  });

  it('refuse glued, malformed, tampered and unknown messages with their codes', () => {
    const text = sealEnvelope('status', { head }, key, 123);
    const code = (t: string) => {
      try {
        openEnvelope(t);
        return 'ok';
      } catch (e) {
        assert.ok(e instanceof P2PError);
        return e.code;
      }
    };
    assert.equal(code(text + text), 'MALFORMED');
    assert.equal(code('\x00\x01garbage'), 'MALFORMED');
    assert.equal(code(JSON.stringify({ hello: 1 })), 'SCHEMA_INVALID');
    assert.equal(code(text.replace('"height":1', '"height":2')), 'SIGNATURE_INVALID');
    assert.equal(code(text.replace('"v":1', '"v":9')), 'VERSION_UNSUPPORTED');
    assert.equal(code(text.replace('"type":"status"', '"type":"nope"')), 'SCHEMA_INVALID');
    assert.equal(code(text.replace('"height":1', '"height":1.5')), 'SCHEMA_INVALID');
  });
});

describe('link rules', () => {
  it('match by peer and direction and combine', () => {
    const chaos = new LinkChaos();
    chaos.setRules([
      rule({ peer: '*', direction: 'both', delayMs: 10, lossPct: 50 }),
      rule({ peer: peer.id, direction: 'out', drop: true, delayMs: 30, lossPct: 50, bandwidthBps: 1000 }),
      rule({ peer: 'someone-else', direction: 'in', drop: true }),
    ]);
    const out = chaos.effective(peer, 'out')!;
    assert.equal(out.drop, true);
    assert.equal(out.delayMs, 30);
    assert.equal(out.lossPct, 75);
    assert.equal(out.bandwidthBps, 1000);
    const inn = chaos.effective(peer, 'in')!;
    assert.equal(inn.drop, false);
    assert.equal(inn.delayMs, 10);
    chaos.setRules([]);
    assert.equal(chaos.effective(peer, 'out'), null);
  });

  it('drop, lose, duplicate and delay messages', async () => {
    const chaos = new LinkChaos();
    let n = 0;
    const shaper = new LinkShaper(chaos, 'out', () => peer, () => 0.3);
    assert.equal(shaper.pass(10, () => n++), 'delivered');
    chaos.setRules([rule({ peer: '*', direction: 'out', drop: true })]);
    assert.equal(shaper.pass(10, () => n++), 'dropped');
    chaos.setRules([rule({ peer: '*', direction: 'out', lossPct: 40 })]); // random 0.3*100 < 40
    assert.equal(shaper.pass(10, () => n++), 'dropped');
    chaos.setRules([rule({ peer: '*', direction: 'out', duplicatePct: 40 })]);
    shaper.pass(10, () => n++);
    assert.equal(n, 3);
    chaos.setRules([rule({ peer: '*', direction: 'out', delayMs: 50 })]);
    const t0 = Date.now();
    let at = 0;
    assert.equal(shaper.pass(10, () => (at = Date.now())), 'scheduled');
    await waitFor(() => at > 0, { timeoutMs: 2000 });
    assert.ok(at - t0 >= 45, `delayed ${at - t0} ms`);
    shaper.close();
  });

  it('caps bandwidth by spacing messages', async () => {
    const chaos = new LinkChaos();
    chaos.setRules([rule({ peer: '*', direction: 'out', bandwidthBps: 10_000 })]);
    const shaper = new LinkShaper(chaos, 'out', () => peer);
    const times: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) shaper.pass(1000, () => times.push(Date.now() - t0)); // 100 ms each
    await waitFor(() => times.length === 3, { timeoutMs: 3000 });
    assert.ok(times[2] >= 250, `third message after ${times[2]} ms`);
    shaper.close();
  });
});

describe('peer scores', () => {
  it('ban at the threshold, for a while, then forgive', () => {
    let now = 0;
    const book = new PeerScoreBook(1000, 1, () => now);
    assert.equal(book.penalize('p', 60), false);
    assert.equal(book.score('p'), -60);
    now = 10_000; // 10 s at 1 point/s
    assert.equal(book.score('p'), -50);
    assert.equal(book.penalize('p', -BAN_THRESHOLD), true);
    book.ban({ key: 'p', reason: 'MALFORMED', name: null, address: 'x', direction: 'inbound' });
    assert.equal(book.isBanned('p'), true);
    assert.equal(book.activeBans().length, 1);
    now += 1001;
    assert.equal(book.isBanned('p'), false);
    assert.equal(book.score('p'), 0);
  });
});
