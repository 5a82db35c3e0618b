// Unit: who a node relays an accepted block to. A block straight from its proposer reached
// every peer the proposer lists in `sentTo`, so it is relayed only to our peers missing from
// that list (none in a full mesh); a block that came by another way is relayed to a bounded
// number of peers, never back to its sender. Messages go in through the reactor registry, as
// the P2P host delivers them; the fake host applies broadcast's filters, so each test sees the
// exact set of peers a message reached. Timers are node:test's fake timers: no sleeps.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { Block, Tx } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import type { Mempool } from '../chain/mempool.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { MessageRegistry } from '../p2p/message-registry.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import type { BlockImporter } from './block-importer.ts';
import type { CatchUp } from './catch-up.ts';
import { Gossip, knowsHead } from './gossip.ts';

const key = (c: string) => c.repeat(64);

interface Sent {
  type: string;
  payload: unknown;
  except: PeerConnection | undefined;
  fanout: number | undefined;
  include: ((p: PeerConnection) => boolean) | undefined;
  /** Names (the key letter) of the connected peers it went to, sorted. */
  to: string[];
}

function setup(extra: { quietIn?: (delayMs: number) => number } = {}) {
  const sent: Sent[] = [];
  const pokes: Array<PeerConnection | undefined> = [];
  const connected: PeerConnection[] = [];
  const host = {
    connected: () => connected,
    // P2PHost.broadcast's filters (except, include, then fanout) over the connected peers.
    broadcast: (def: { type: string }, payload: unknown, except?: PeerConnection, fanout?: number, include?: (p: PeerConnection) => boolean) => {
      const to = connected.filter((c) => c !== except && (!include || include(c))).slice(0, fanout ?? Infinity);
      sent.push({ type: def.type, payload, except, fanout, include, to: to.map((p) => p.remote!.publicKey[0]).sort() });
      return to.length;
    },
    penalize: () => {},
  };
  const gossip = new Gossip({
    chain: { has: () => false, headRef: () => ({ height: 7, hash: '7'.repeat(64) }), headState: () => ({}) } as unknown as Chain,
    mempool: { has: () => false, add: () => {} } as unknown as Mempool,
    importer: { import: () => ({ status: 'accepted' }) } as unknown as BlockImporter,
    catchUp: () => ({ poke: (p?: PeerConnection) => pokes.push(p) }) as unknown as CatchUp,
    host: () => host as unknown as P2PHost,
    metrics: createMetrics(),
    logger: createLogger({ level: 'silent' }),
    isPaused: () => false,
    ...extra,
  });
  const registry = new MessageRegistry();
  registry.add(gossip);
  const deliver = (from: PeerConnection, type: string, payload: unknown) => registry.get(type)!.handle(from, payload);
  return { gossip, sent, pokes, connected, deliver };
}

/** Peers a, b, c, d, … linked to us (a full mesh when the proposer lists the same). */
const mesh = (connected: PeerConnection[], names: string[]) => {
  const peers = names.map((c) => peer(key(c)));
  connected.push(...peers);
  return peers;
};

const peer = (publicKey: string, head: { height: number; hash: string } | null = null) =>
  ({ remote: { id: publicKey.slice(0, 16), publicKey }, head }) as unknown as PeerConnection;
const block = (hash: string, proposer: string, height = 5) => ({ hash: hash.repeat(64), header: { height, proposer }, txs: [] }) as unknown as Block;

describe('block relay', () => {
  it('relays a block that came straight from its proposer only to our peers the proposer did not reach', () => {
    const { sent, connected, deliver } = setup();
    const [proposer] = mesh(connected, ['a', 'b', 'c', 'd']);
    deliver(proposer, 'block', { block: block('1', key('a')), sentTo: [key('b').slice(0, 16), key('c').slice(0, 16)] });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].except, proposer);
    assert.deepEqual(sent[0].to, ['d'], 'only d, which the proposer has no link to');
  });

  it('in a full mesh, a block straight from its proposer goes to no one else', () => {
    const { sent, connected, deliver } = setup();
    const [proposer] = mesh(connected, ['a', 'b', 'c', 'd']);
    const everyone = ['b', 'c', 'd'].map((c) => key(c).slice(0, 16));
    deliver(proposer, 'block', { block: block('5', key('a')), sentTo: everyone });
    assert.deepEqual(
      sent.flatMap((s) => s.to),
      [],
      'nobody gets a copy from us',
    );
  });

  it('a block from its proposer without sentTo (unknown reach) is relayed to a bounded fanout', () => {
    const { sent, connected, deliver } = setup();
    const [proposer] = mesh(connected, ['a', 'b', 'c']);
    deliver(proposer, 'block', { block: block('6', key('a')) });
    assert.equal(sent.length, 1);
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout) && sent[0].fanout <= 8);
    assert.deepEqual(sent[0].to, ['b', 'c']);
  });

  it('relays a block that came from another node to a bounded fanout, not back to the sender', () => {
    const { sent, connected, deliver } = setup();
    const [, sender] = mesh(connected, ['a', 'b', 'c']);
    deliver(sender, 'block', { block: block('2', key('a')) });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].type, 'block');
    assert.equal(sent[0].except, sender);
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout) && sent[0].fanout <= 8, `fanout ${sent[0].fanout}`);
    assert.deepEqual(sent[0].to, ['a', 'c']);
  });

  it('relays each block once, whoever sends it again', () => {
    const { sent, connected, deliver } = setup();
    const [, b, c] = mesh(connected, ['a', 'b', 'c']);
    const blk = block('3', key('a'));
    deliver(b, 'block', { block: blk });
    deliver(c, 'block', { block: blk });
    assert.equal(sent.length, 1);
  });

  it('publishes our own block to every peer, listing them in sentTo', () => {
    const { gossip, sent, connected } = setup();
    mesh(connected, ['b', 'c']);
    gossip.publishBlock(block('4', key('f')));
    assert.deepEqual(
      sent.map((s) => [s.type, s.fanout, s.to]),
      [['block', undefined, ['b', 'c']]],
    );
    assert.deepEqual((sent[0].payload as { sentTo: string[] }).sentTo, [key('b').slice(0, 16), key('c').slice(0, 16)]);
  });

  it('the block type is registered with an echo check that skips known blocks', () => {
    const { gossip } = setup();
    const h = gossip.messages.find((m) => m.type === 'block')!;
    const blk = block('7', key('a'));
    assert.equal(h.isDuplicate!({ block: blk }), false);
    gossip.publishBlock(blk);
    assert.equal(h.isDuplicate!({ block: blk }), true);
  });
});

describe('head announcements (status)', () => {
  const head = { height: 7, hash: '7'.repeat(64) };
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('a peer knows our head when it told us that head or a higher one', () => {
    assert.equal(knowsHead(null, head), false);
    assert.equal(knowsHead({ height: 6, hash: '6'.repeat(64) }, head), false);
    assert.equal(knowsHead({ height: 7, hash: 'e'.repeat(64) }, head), false, 'same height, other branch: tell it');
    assert.equal(knowsHead(head, head), true);
    assert.equal(knowsHead({ height: 8, hash: '8'.repeat(64) }, head), true);
  });

  it('coalesces head changes into one status, sent only to peers not known to hold the head', () => {
    const { gossip, sent } = setup();
    gossip.announceHead();
    gossip.announceHead();
    mock.timers.tick(99);
    assert.equal(sent.length, 0, 'not before 100 ms');
    mock.timers.tick(101); // the delay is 100–200 ms
    assert.equal(sent.length, 1);
    mock.timers.tick(10_000);
    gossip.stop();
    assert.equal(sent.length, 1, 'one status for both changes');
    assert.equal(sent[0].type, 'status');
    assert.deepEqual(sent[0].payload, { head });
    const include = sent[0].include!;
    assert.equal(include(peer(key('a'), { height: 6, hash: '6'.repeat(64) })), true);
    assert.equal(include(peer(key('b'), head)), false);
    assert.equal(include(peer(key('c'))), true, 'head unknown: tell it');
  });

  it('counts the proposer of a block it sent us as holding that block', () => {
    const { deliver } = setup();
    const proposer = peer(key('a'), { height: 4, hash: '4'.repeat(64) });
    deliver(proposer, 'block', { block: block('5', key('a'), 5) });
    assert.equal(proposer.head?.hash, '5'.repeat(64));
  });

  it('a status records the peer head and looks for blocks it has', () => {
    const { deliver, pokes } = setup();
    const p = peer(key('a'));
    deliver(p, 'status', { head });
    assert.deepEqual(p.head, head);
    assert.deepEqual(pokes, [p]);
  });
});

describe('tx relay', () => {
  const tx = (c: string) => ({ hash: c.repeat(64) }) as unknown as Tx;
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('sends the txs submitted here to every peer, marked origin', () => {
    const { gossip, sent, connected } = setup();
    mesh(connected, ['a', 'b']);
    gossip.publishTx(tx('1'));
    gossip.publishTx(tx('2'));
    mock.timers.tick(100);
    mock.timers.tick(10_000);
    gossip.stop();
    assert.deepEqual(sent[0]?.to, ['a', 'b']);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].payload, { txs: [tx('1'), tx('2')], origin: true });
    assert.equal(sent[0].fanout, undefined);
  });

  it('holds a tx batch until the engine says no block is on its way', () => {
    const asked: number[] = [];
    const { gossip, sent, connected } = setup({ quietIn: (d) => (asked.push(d), d + 40) });
    mesh(connected, ['a']);
    gossip.publishTx(tx('1'));
    assert.deepEqual(asked, [100]);
    mock.timers.tick(100);
    assert.equal(sent.length, 0, 'not yet: a block is expected then');
    mock.timers.tick(40);
    assert.deepEqual(sent[0]?.payload, { txs: [tx('1')], origin: true });
    gossip.stop();
  });

  it('does not relay an origin batch; relays other batches to a bounded fanout', () => {
    const { gossip, sent, deliver } = setup();
    deliver(peer(key('a')), 'txs', { txs: [tx('3')], origin: true });
    deliver(peer(key('b')), 'txs', { txs: [tx('4')] });
    mock.timers.tick(100);
    mock.timers.tick(10_000);
    gossip.stop();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].payload, { txs: [tx('4')] });
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout));
  });
});
