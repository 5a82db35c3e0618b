// Unit: who a node relays an accepted block to. A block straight from its proposer reached
// every peer the proposer lists in `sentTo`, so it is relayed only to our peers missing from
// that list (none in a full mesh); a block that came by another way is relayed to a bounded
// number of peers, never back to its sender.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block, Tx } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import type { Mempool } from '../chain/mempool.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import type { BlockImporter } from './block-importer.ts';
import type { CatchUp } from './catch-up.ts';
import { sleep, waitFor } from '../testkit/wait-for.ts';
import { Gossip, knowsHead } from './gossip.ts';

const key = (c: string) => c.repeat(64);

interface Sent {
  type: string;
  payload: unknown;
  except: PeerConnection | undefined;
  fanout: number | undefined;
  include: ((p: PeerConnection) => boolean) | undefined;
}

function setup() {
  const sent: Sent[] = [];
  const pokes: Array<PeerConnection | undefined> = [];
  const connected: PeerConnection[] = [];
  const host = {
    connected: () => connected,
    broadcast: (type: string, payload: unknown, except?: PeerConnection, fanout?: number, include?: (p: PeerConnection) => boolean) => (sent.push({ type, payload, except, fanout, include }), 1),
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
  });
  return { gossip, sent, pokes, connected };
}

const peer = (publicKey: string, head: { height: number; hash: string } | null = null) => ({ remote: { id: publicKey.slice(0, 16), publicKey }, head }) as unknown as PeerConnection;
const block = (hash: string, proposer: string, height = 5) => ({ hash: hash.repeat(64), header: { height, proposer }, txs: [] }) as unknown as Block;

describe('block relay', () => {
  it('relays a block that came straight from its proposer only to our peers the proposer did not reach', () => {
    const { gossip, sent } = setup();
    const proposer = peer(key('a'));
    const [b, c, d] = [peer(key('b')), peer(key('c')), peer(key('d'))];
    gossip.onMessage(proposer, { type: 'block', payload: { block: block('1', key('a')), sentTo: [key('b').slice(0, 16), key('c').slice(0, 16)] } });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].except, proposer);
    const include = sent[0].include!;
    assert.deepEqual([b, c, d].map((p) => include(p)), [false, false, true], 'only d, which the proposer has no link to');
  });

  it('in a full mesh, a block straight from its proposer goes to no one else', () => {
    const { gossip, sent } = setup();
    const everyone = ['b', 'c', 'd'].map((c) => key(c).slice(0, 16));
    gossip.onMessage(peer(key('a')), { type: 'block', payload: { block: block('5', key('a')), sentTo: everyone } });
    const include = sent[0]?.include;
    assert.ok(!include || ['b', 'c', 'd'].every((c) => !include(peer(key(c)))));
  });

  it('a block from its proposer without sentTo (unknown reach) is relayed to a bounded fanout', () => {
    const { gossip, sent } = setup();
    gossip.onMessage(peer(key('a')), { type: 'block', payload: { block: block('6', key('a')) } });
    assert.equal(sent.length, 1);
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout) && sent[0].fanout <= 8);
  });

  it('relays a block that came from another node to a bounded fanout, not back to the sender', () => {
    const { gossip, sent } = setup();
    const sender = peer(key('b'));
    gossip.onMessage(sender, { type: 'block', payload: { block: block('2', key('a')) } });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].type, 'block');
    assert.equal(sent[0].except, sender);
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout) && sent[0].fanout <= 8, `fanout ${sent[0].fanout}`);
  });

  it('relays each block once, whoever sends it again', () => {
    const { gossip, sent } = setup();
    const b = block('3', key('a'));
    gossip.onMessage(peer(key('b')), { type: 'block', payload: { block: b } });
    gossip.onMessage(peer(key('c')), { type: 'block', payload: { block: b } });
    assert.equal(sent.length, 1);
  });

  it('publishes our own block to every peer, listing them in sentTo', () => {
    const { gossip, sent, connected } = setup();
    connected.push(peer(key('b')), peer(key('c')));
    gossip.publishBlock(block('4', key('f')));
    assert.deepEqual(sent.map((s) => [s.type, s.fanout]), [['block', undefined]]);
    assert.deepEqual((sent[0].payload as { sentTo: string[] }).sentTo, [key('b').slice(0, 16), key('c').slice(0, 16)]);
  });
});

describe('head announcements (status)', () => {
  const head = { height: 7, hash: '7'.repeat(64) };

  it('a peer knows our head when it told us that head or a higher one', () => {
    assert.equal(knowsHead(null, head), false);
    assert.equal(knowsHead({ height: 6, hash: '6'.repeat(64) }, head), false);
    assert.equal(knowsHead({ height: 7, hash: 'e'.repeat(64) }, head), false, 'same height, other branch: tell it');
    assert.equal(knowsHead(head, head), true);
    assert.equal(knowsHead({ height: 8, hash: '8'.repeat(64) }, head), true);
  });

  it('coalesces head changes into one status, sent only to peers not known to hold the head', async () => {
    const { gossip, sent } = setup();
    gossip.announceHead();
    gossip.announceHead();
    await waitFor(() => sent.length > 0, { timeoutMs: 2000, what: 'the status' });
    await sleep(250);
    gossip.stop();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].type, 'status');
    assert.deepEqual(sent[0].payload, { head });
    const include = sent[0].include!;
    assert.equal(include(peer(key('a'), { height: 6, hash: '6'.repeat(64) })), true);
    assert.equal(include(peer(key('b'), head)), false);
    assert.equal(include(peer(key('c'))), true, 'head unknown: tell it');
  });

  it('counts the proposer of a block it sent us as holding that block', () => {
    const { gossip } = setup();
    const proposer = peer(key('a'), { height: 4, hash: '4'.repeat(64) });
    gossip.onMessage(proposer, { type: 'block', payload: { block: block('5', key('a'), 5) } });
    assert.equal(proposer.head?.hash, '5'.repeat(64));
  });
});

describe('tx relay', () => {
  const tx = (c: string) => ({ hash: c.repeat(64) }) as unknown as Tx;

  it('sends the txs submitted here to every peer, marked origin', async () => {
    const { gossip, sent } = setup();
    gossip.publishTx(tx('1'));
    gossip.publishTx(tx('2'));
    await waitFor(() => sent.length > 0, { timeoutMs: 2000, what: 'the batch' });
    gossip.stop();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].payload, { txs: [tx('1'), tx('2')], origin: true });
    assert.equal(sent[0].fanout, undefined);
  });

  it('does not relay an origin batch; relays other batches to a bounded fanout', async () => {
    const { gossip, sent } = setup();
    gossip.onMessage(peer(key('a')), { type: 'txs', payload: { txs: [tx('3')], origin: true } });
    gossip.onMessage(peer(key('b')), { type: 'txs', payload: { txs: [tx('4')] } });
    await waitFor(() => sent.length > 0, { timeoutMs: 2000, what: 'the relay batch' });
    await sleep(150);
    gossip.stop();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].payload, { txs: [tx('4')] });
    assert.ok(sent[0].fanout !== undefined && Number.isFinite(sent[0].fanout));
  });
});
