import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { HeadRefSchema, LinkRuleSchema } from '../../wire/node-api.ts';
import { generateKeyPair } from '../chain/keys.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { P2PError } from './errors.ts';
import { LinkChaos, LinkShaper } from './link-chaos.ts';
import { MessageRegistry, handler } from './message-registry.ts';
import { defineMessage } from './messages.ts';
import { BAN_THRESHOLD, PeerScoreBook } from './peer-score.ts';

const rule = (r: Record<string, unknown>) => LinkRuleSchema.parse(r);
const peer = { id: 'aaaaaaaaaaaaaaaa', publicKey: null, name: 'node-2' };

describe('envelopes', () => {
  const key = generateKeyPair();
  const head = { height: 1, hash: 'a'.repeat(64) };
  // P2P knows no payload type but hello and reject: a reactor registers the rest.
  const StatusMsg = defineMessage('status', z.object({ head: HeadRefSchema }));
  const registry = new MessageRegistry();
  registry.add({ name: 'test', messages: [handler(StatusMsg, { handle: () => {} })] });

  it('open what was sealed, whatever the key order on the wire', () => {
    const text = sealEnvelope('status', { head }, key, 123);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text)).reverse()));
    const o = openEnvelope(reordered, registry);
    assert.equal(o.from, key.publicKey);
    assert.deepEqual([o.type, o.payload, o.handler.type], ['status', { head }, 'status']);
  });

  it('refuse glued, malformed, tampered and unknown messages with their codes', () => {
    const text = sealEnvelope('status', { head }, key, 123);
    const code = (t: string) => {
      try {
        openEnvelope(t, registry);
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
    assert.equal(code(sealEnvelope('block', { any: 1 }, key, 123)), 'SCHEMA_INVALID', 'a type no reactor registered');
  });

  it('a duplicate is dropped before its signature is checked, only when asked to', () => {
    const reg = new MessageRegistry();
    reg.add({ name: 'test', messages: [handler(StatusMsg, { isDuplicate: (m) => m.head.height === 1, handle: () => {} })] });
    const forged = sealEnvelope('status', { head }, key, 123).replace(/"sig":"./, (m) => (m.endsWith('0') ? m.slice(0, -1) + '1' : m.slice(0, -1) + '0'));
    assert.equal(openEnvelope(forged, reg, true).duplicate, true);
    assert.throws(
      () => openEnvelope(forged, reg, false),
      (e: unknown) => e instanceof P2PError && e.code === 'SIGNATURE_INVALID',
    );
  });
});

describe('message registry', () => {
  const def = (type: string) => handler(defineMessage(type, z.object({})), { handle: () => {} });

  it('a type is owned by one reactor; hello and reject belong to P2P', () => {
    const reg = new MessageRegistry();
    reg.add({ name: 'gossip', messages: [def('block')] });
    const taken = (name: string, type: string) =>
      assert.throws(
        () => reg.add({ name, messages: [def(type)] }),
        (e: unknown) => e instanceof P2PError && e.code === 'MESSAGE_TYPE_TAKEN',
      );
    taken('engine', 'block');
    taken('engine', 'hello');
    taken('engine', 'reject');
    assert.throws(
      () => reg.add({ name: 'twice', messages: [def('vote'), def('vote')] }),
      (e: unknown) => e instanceof P2PError && e.code === 'MESSAGE_TYPE_TAKEN',
    );
    assert.equal(reg.get('vote'), undefined, 'a refused reactor registers nothing');
    assert.equal(reg.ownerOf('block'), 'gossip');
    assert.deepEqual(reg.types().sort(), ['block', 'hello', 'reject']);
  });

  it('refuses type names that do not fit the envelope', () => {
    assert.throws(() => defineMessage('Not-Valid', z.object({})));
    assert.throws(() => defineMessage('x'.repeat(33), z.object({})));
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
    const shaper = new LinkShaper(
      chaos,
      'out',
      () => peer,
      () => 0.3,
    );
    assert.equal(
      shaper.pass(10, () => n++),
      'delivered',
    );
    chaos.setRules([rule({ peer: '*', direction: 'out', drop: true })]);
    assert.equal(
      shaper.pass(10, () => n++),
      'dropped',
    );
    chaos.setRules([rule({ peer: '*', direction: 'out', lossPct: 40 })]); // random 0.3*100 < 40
    assert.equal(
      shaper.pass(10, () => n++),
      'dropped',
    );
    chaos.setRules([rule({ peer: '*', direction: 'out', duplicatePct: 40 })]);
    shaper.pass(10, () => n++);
    assert.equal(n, 3);
    chaos.setRules([rule({ peer: '*', direction: 'out', delayMs: 50 })]);
    const t0 = Date.now();
    let at = 0;
    assert.equal(
      shaper.pass(10, () => (at = Date.now())),
      'scheduled',
    );
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
