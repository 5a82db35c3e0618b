// The compliance suite every consensus engine must pass (as js-libp2p runs one suite against
// every transport): call `engineCompliance(harness)` from a node:test file and it registers
// the tests. It drives the engine only through the seam (ChainRules, Reactor, start/stop with
// a fake EngineContext) plus a small harness the engine's author writes: how to build the
// engine, who proposes at a turn, and how to make a valid child block.
// What it pins: proposer choice is deterministic and fair; the header rules refuse a wrong
// proposer, a bad signature, a bad parent or height and (when the engine has the guard) a
// block from the future; fork choice is deterministic and total; finality never decreases
// nor leaves the canonical chain; start/stop are idempotent and leave no timer behind; a sole
// validator makes progress; the engine's message types are well-formed and collide with none;
// what the node's API reads (status(), roundState(), ctx.events) answers the wire schemas,
// never goes backwards while running, and /health's finality is finalized()'s.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  CommitNoticeSchema,
  ConsensusRoundStateSchema,
  ConsensusStatusSchema,
  RoundChangeSchema,
  VoteProgressSchema,
  type Block,
  type CommitNotice,
  type RoundChange,
  type VoteProgress,
} from '../../../wire/node-api.ts';
import type { EvidenceRecord } from '../../../wire/bft.ts';
import { signBlock } from '../../chain/block.ts';
import { Chain } from '../../chain/chain.ts';
import { ChainError, type ChainErrorCode } from '../../chain/errors.ts';
import type { Genesis } from '../../chain/genesis.ts';
import type { KeyPair } from '../../chain/keys.ts';
import { consensusHealth } from '../../api/health.ts';
import { createLogger } from '../../logger.ts';
import { createMetrics } from '../../metrics.ts';
import { MessageRegistry, handler } from '../../p2p/message-registry.ts';
import type { MessageDef } from '../../p2p/messages.ts';
import { BlockMsg, BlocksMsg, GetBlocksMsg, StatusMsg, TxMsg, TxsMsg } from '../../sync/messages.ts';
import { testChain, type TestChain } from '../../testkit/chain-builder.ts';
import type { ConsensusEngine, EngineContext, EngineTimers, SubmitOutcome } from '../engine.ts';

export interface EngineHarness<E extends ConsensusEngine = ConsensusEngine> {
  /** Shown in the suite's name. */
  name: string;
  /** Builds the engine for a genesis, as the node's factory does. */
  create(genesis: Genesis): E;
  /** Who proposes at `turn`, in the engine's own unit (a slot for PoA; a height/round for BFT). */
  proposerAt(engine: E, turn: number): string;
  /**
   * A block the engine accepts on `parent`, `gap` turns after the parent's (default 1), signed
   * by `signer` (default: the rightful proposer; another key makes a wrong-proposer block).
   */
  child(t: TestChain, engine: E, parent: Block, opts?: { gap?: number; signer?: KeyPair }): Block;
  /** How far ahead of local time a block may be stamped; null when the engine has no such guard. */
  maxFutureMs(engine: E): number | null;
  /**
   * 'none': finalized() is always null (PoA). 'engine': it finalizes through its own protocol.
   * 'head': every accepted block is final (BFT: each carries a commit), finalized() is the
   * chain's head, and no fork below it is ever accepted.
   */
  finality: 'none' | 'engine' | 'head';
  /** Time (ms) the fake clock may run for a sole validator to make 3 blocks. */
  progressWithinMs: number;
}

/** A clock the test moves by hand. */
export class FakeClock {
  private listeners = new Set<() => void>();
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Timers on the fake clock: nothing runs until runNext() moves the clock to the next one. */
export class FakeTimers implements EngineTimers {
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: FakeClock) {}
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.clock.now() + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get count(): number {
    return this.pending.size;
  }
  /** Runs the earliest timer (moving the clock to it); false when none is pending. */
  runNext(): boolean {
    let first: [number, { at: number; fn: () => void }] | null = null;
    for (const e of this.pending) if (!first || e[1].at < first[1].at) first = e;
    if (!first) return false;
    this.pending.delete(first[0]);
    if (first[1].at > this.clock.now()) this.clock.set(first[1].at);
    first[1].fn();
    return true;
  }
}

/** An event the engine emitted through ctx.events, tagged with its kind. */
export type EmittedEvent =
  ({ type: 'round' } & RoundChange) | ({ type: 'commit' } & CommitNotice) | ({ type: 'votes' } & VoteProgress) | { type: 'evidence'; evidence: EvidenceRecord };

/** An EngineContext over a real Chain, with fake time, timers and network. */
export function fakeEngineContext(engine: ConsensusEngine, t: TestChain, key: KeyPair, startMs: number) {
  const chain = new Chain(t.genesis, engine);
  const clock = new FakeClock(startMs);
  const timers = new FakeTimers(clock);
  const sent: Array<{ type: string; payload: unknown }> = [];
  const submitted: Block[] = [];
  const events: EmittedEvent[] = [];
  const ctx: EngineContext = {
    key,
    clock,
    chain,
    timers,
    dataDir: path.join(os.tmpdir(), `engine-compliance-${process.pid}-${Date.now()}`),
    network: {
      send: (_peer, def, payload) => void sent.push({ type: def.type, payload }),
      broadcast: (def, payload) => (sent.push({ type: def.type, payload }), 0),
      connected: () => [],
      penalize: () => {},
    },
    selectTxs: () => [],
    submitBlock: (block): SubmitOutcome => {
      submitted.push(block);
      try {
        return { status: chain.importBlock(block, { nowMs: clock.now() }).status };
      } catch (err) {
        if (err instanceof ChainError) return { status: 'rejected', error: err };
        throw err;
      }
    },
    isPaused: () => false,
    mayPropose: () => true,
    events: {
      round: (change) => void events.push({ type: 'round', ...change }),
      commit: (notice) => void events.push({ type: 'commit', ...notice }),
      votes: (progress) => void events.push({ type: 'votes', ...progress }),
      evidence: (evidence) => void events.push({ type: 'evidence', evidence }),
    },
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
  };
  /** Removes what the engine wrote to its data dir. */
  const cleanup = () => fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  return { ctx, chain, clock, timers, sent, submitted, events, cleanup };
}

const FAR_FUTURE = 8_000_000_000_000;

function refuses(fn: () => unknown, code?: ChainErrorCode): ChainError {
  let caught: unknown = null;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ChainError, `expected a ChainError, got ${String(caught)}`);
  if (code) assert.equal(caught.code, code);
  return caught;
}

export function engineCompliance<E extends ConsensusEngine>(h: EngineHarness<E>): void {
  const setup = (validators = 4) => {
    const t = testChain({ validators, seed: `compliance-${h.name}` });
    const engine = h.create(t.genesis);
    const chain = new Chain(t.genesis, engine);
    const add = (b: Block, nowMs = FAR_FUTURE) => chain.importBlock(b, { nowMs });
    return { t, engine, chain, add, g: chain.genesis };
  };
  const keyOf = (t: TestChain, publicKey: string) => t.validators.find((k) => k.publicKey === publicKey)!;

  describe(`consensus engine compliance: ${h.name}`, () => {
    describe('proposer choice', () => {
      it('is deterministic: engines built from the same genesis agree at every turn', () => {
        const { t, engine } = setup();
        const twin = h.create(structuredClone(t.genesis));
        for (let turn = 0; turn < 64; turn++) assert.equal(h.proposerAt(engine, turn), h.proposerAt(twin, turn), `turn ${turn}`);
      });

      it('picks validators only, and every validator gets turns', () => {
        const { t, engine } = setup(5);
        const seen = new Map<string, number>();
        for (let turn = 0; turn < 50; turn++) {
          const p = h.proposerAt(engine, turn);
          assert.ok(engine.isValidator(p), `turn ${turn}: ${p} is not a validator`);
          seen.set(p, (seen.get(p) ?? 0) + 1);
        }
        assert.deepEqual([...seen.keys()].sort(), [...t.genesis.validators].sort());
      });
    });

    describe('header checks', () => {
      it('accepts a chain of valid blocks', () => {
        const { t, engine, chain, add, g } = setup();
        let parent = g;
        for (let i = 0; i < 8; i++) {
          parent = h.child(t, engine, parent);
          assert.equal(add(parent).status, 'accepted');
        }
        assert.equal(chain.headRef().height, 8);
      });

      it('refuses a block signed by a validator whose turn it is not', () => {
        const { t, engine, chain, add, g } = setup();
        const good = h.child(t, engine, g);
        const other = t.validators.find((k) => k.publicKey !== good.header.proposer)!;
        refuses(() => add(h.child(t, engine, g, { signer: other })));
        assert.equal(chain.headRef().height, 0);
      });

      it('refuses a bad signature, an unknown parent and a wrong height', () => {
        const { t, engine, add, g } = setup();
        const good = h.child(t, engine, g);
        const flipped = good.signature[0] === '0' ? '1' : '0';
        refuses(() => add({ ...good, signature: flipped + good.signature.slice(1) }), 'BLOCK_SIGNATURE_INVALID');
        const signer = keyOf(t, good.header.proposer);
        refuses(() => add(signBlock({ ...good.header, parentHash: 'ab'.repeat(32) }, good.txs, signer)), 'BLOCK_PARENT_UNKNOWN');
        refuses(() => add(signBlock({ ...good.header, height: 2 }, good.txs, signer)), 'BLOCK_HEIGHT_INVALID');
        assert.equal(add(good).status, 'accepted');
      });

      it('refuses a block stamped too far ahead of local time, and takes it once time has come', (ctx) => {
        const { t, engine, add, g } = setup();
        const limit = h.maxFutureMs(engine);
        if (limit === null) {
          ctx.skip('the engine has no clock-skew guard');
          return;
        }
        const b = h.child(t, engine, g);
        refuses(() => add(b, b.header.timestamp - limit - 1), 'BLOCK_FROM_FUTURE');
        assert.equal(add(b, b.header.timestamp - limit).status, 'accepted');
      });
    });

    describe('fork choice', () => {
      /** A tree of blocks: several branches of different lengths off genesis and off each other. */
      const forest = () => {
        const s = setup();
        const blocks: Block[] = [];
        const grow = (parent: Block, n: number, gap: number) => {
          let p = parent;
          for (let i = 0; i < n; i++) {
            p = h.child(s.t, s.engine, p, { gap: i === 0 ? gap : 1 });
            blocks.push(p);
          }
          return p;
        };
        const a = grow(s.g, 3, 1);
        grow(s.g, 3, 5);
        grow(s.g, 2, 9);
        grow(s.chain.genesis, 4, 13);
        blocks.push(h.child(s.t, s.engine, a, { gap: 2 }), h.child(s.t, s.engine, a, { gap: 3 }));
        return { ...s, blocks };
      };

      it('is total and antisymmetric: a block equals only itself, and each pair has one winner', () => {
        const { engine, blocks } = forest();
        for (const a of blocks) {
          assert.equal(engine.compareHeads(a, a), 0);
          for (const b of blocks) {
            if (a === b) continue;
            const ab = Math.sign(engine.compareHeads(a, b));
            assert.notEqual(ab, 0, 'distinct blocks never tie');
            assert.equal(ab, -Math.sign(engine.compareHeads(b, a)));
          }
        }
      });

      it('is transitive: every order of the candidates sorts the same', () => {
        const { engine, blocks } = forest();
        const sorted = (list: Block[]) => [...list].sort((x, y) => engine.compareHeads(x, y)).map((b) => b.hash);
        const expected = sorted(blocks);
        assert.deepEqual(sorted([...blocks].reverse()), expected);
        const shuffled = [...blocks].sort((x, y) => (x.hash < y.hash ? -1 : 1));
        assert.deepEqual(sorted(shuffled), expected);
      });

      it('two nodes importing the same blocks in different orders choose the same head', (ctx) => {
        if (h.finality === 'head') {
          ctx.skip('head finality: the first valid block at a height is final, so conflicting committed blocks (a safety failure) are refused, not chosen between');
          return;
        }
        const { t, blocks } = forest();
        const heads = [blocks, [...blocks].sort((x, y) => y.header.height - x.header.height || (x.hash < y.hash ? -1 : 1))].map((order) => {
          const chain = new Chain(t.genesis, h.create(t.genesis));
          const pending = [...order];
          // Parents first, whatever the order: retry what does not connect yet.
          for (let guard = 0; pending.length > 0 && guard < 1000; guard++) {
            const b = pending.shift()!;
            if (chain.has(b.header.parentHash)) chain.importBlock(b, { nowMs: FAR_FUTURE });
            else pending.push(b);
          }
          return chain.headRef();
        });
        assert.deepEqual(heads[0], heads[1]);
      });
    });

    describe('finality', () => {
      it('never decreases and stays on the canonical chain across imports and reorgs', () => {
        const { t, engine, chain, add, g } = setup();
        let last = -1;
        const check = () => {
          const f = engine.finalized();
          if (h.finality === 'none') assert.equal(f, null, 'an engine without finality reports none');
          if (h.finality === 'head') assert.deepEqual(f, chain.headRef(), 'the head is final');
          if (f === null) return;
          assert.ok(f.height >= last, `finalized height went from ${last} to ${f.height}`);
          assert.ok(chain.isCanonical(f.hash), 'the finalized block is canonical');
          last = f.height;
        };
        check();
        const main: Block[] = [];
        let p = g;
        for (let i = 0; i < 4; i++) {
          p = h.child(t, engine, p);
          main.push(p);
          add(p);
          check();
        }
        // A longer branch from height 2: a reorg (or a refusal, when it would undo finality).
        p = main[1];
        for (let i = 0; i < 5; i++) {
          p = h.child(t, engine, p, { gap: i === 0 ? 7 : 1 });
          let refused = false;
          try {
            add(p);
          } catch (err) {
            if (!(err instanceof ChainError) || err.code !== 'REORG_BELOW_FINALIZED') throw err;
            refused = true;
          }
          check();
          if (refused) {
            // The refused block is not in the chain: nothing can grow on it.
            if (h.finality === 'head') assert.ok(i === 0, 'head finality refuses the fork at its first block');
            break;
          }
        }
        if (h.finality === 'head') assert.equal(chain.headRef().hash, main[3].hash, 'no reorg below the final head');
      });
    });

    describe('lifecycle', () => {
      it('start and stop are idempotent, and stop leaves no timer behind', () => {
        const { t, engine } = setup();
        const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
        engine.stop(); // before start: nothing to do
        engine.start(f.ctx);
        const armed = f.timers.count;
        engine.start(f.ctx);
        assert.equal(f.timers.count, armed, 'a second start arms nothing more');
        engine.stop();
        engine.stop();
        f.cleanup();
        assert.equal(f.timers.count, 0, 'no timer left after stop');
      });

      it('a sole validator makes progress, and nothing happens after stop', () => {
        const t = testChain({ validators: 1, seed: `compliance-solo-${h.name}` });
        const engine = h.create(t.genesis);
        const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
        engine.start(f.ctx);
        const deadline = f.clock.now() + h.progressWithinMs;
        while (f.chain.headRef().height < 3 && f.clock.now() <= deadline && f.timers.runNext());
        assert.ok(f.chain.headRef().height >= 3, `height ${f.chain.headRef().height} after ${h.progressWithinMs} ms`);
        assert.ok(
          f.submitted.every((b) => f.chain.has(b.hash)),
          'every block it submitted was valid',
        );
        engine.stop();
        f.cleanup();
        const height = f.chain.headRef().height;
        const sends = f.sent.length;
        assert.equal(f.timers.runNext(), false);
        assert.equal(f.chain.headRef().height, height);
        assert.equal(f.sent.length, sends);
      });

      it('a node that is not a validator proposes nothing', () => {
        const { t, engine } = setup();
        const outsider = t.accounts[0];
        assert.equal(engine.isValidator(outsider.publicKey), false);
        const f = fakeEngineContext(engine, t, outsider, t.genesis.genesisTime + 1);
        engine.start(f.ctx);
        for (let i = 0; i < 50 && f.timers.runNext(); i++);
        engine.stop();
        f.cleanup();
        assert.deepEqual(f.submitted, []);
      });
    });

    describe('status and round state (what /health, GET /consensus and /stream read)', () => {
      it('before start: a status with the engine name, height 0 and no proposer', () => {
        const { engine } = setup();
        const s = ConsensusStatusSchema.parse(engine.status());
        assert.equal(s.engine, engine.name);
        assert.equal(s.height, 0);
        assert.equal(s.proposer, null);
      });

      it('while running: answers the wire schemas, (height, round) never goes backwards, height is above finality, /health finality is finalized()', () => {
        const t = testChain({ validators: 1, seed: `compliance-status-${h.name}` });
        const engine = h.create(t.genesis);
        const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
        engine.start(f.ctx);
        let last = { height: 0, round: 0 };
        const check = (where: string) => {
          const s = ConsensusStatusSchema.parse(engine.status());
          assert.equal(s.engine, engine.name, where);
          assert.ok(s.height > last.height || (s.height === last.height && s.round >= last.round), `${where}: went from ${JSON.stringify(last)} to ${s.height}/${s.round}`);
          last = { height: s.height, round: s.round };
          assert.ok(s.height >= 1 && s.height > f.chain.headRef().height, `${where}: deciding ${s.height} with head at ${f.chain.headRef().height}`);
          assert.ok(s.proposer === null || engine.isValidator(s.proposer), `${where}: the proposer is a validator`);
          assert.ok(s.lockedRound <= s.round && s.validRound <= s.round, `${where}: locked/valid round not above the round`);
          const fin = engine.finalized();
          if (fin) assert.ok(s.height > fin.height, `${where}: deciding ${s.height}, finalized ${fin.height}`);
          const health = consensusHealth(engine);
          assert.equal(health.finalized_height, fin?.height ?? null, `${where}: /health finalized_height`);
          assert.equal(health.finalized_hash, fin?.hash ?? null, `${where}: /health finalized_hash`);
          assert.deepEqual(health.consensus, s);
          const rs = engine.roundState();
          if (rs === null) return;
          ConsensusRoundStateSchema.parse(rs);
          assert.equal(rs.height, s.height, `${where}: round state and status agree on the height`);
          assert.equal(rs.round, s.round, `${where}: round state and status agree on the round`);
          for (const r of rs.rounds) {
            assert.equal(r.prevotes.length, rs.validators.length, `${where}: a prevote slot per validator`);
            assert.equal(r.precommits.length, rs.validators.length, `${where}: a precommit slot per validator`);
          }
        };
        check('after start');
        for (let i = 0; i < 200 && f.chain.headRef().height < 3 && f.timers.runNext(); i++) check(`step ${i}`);
        assert.ok(f.chain.headRef().height >= 3, 'made progress while checked');
        engine.stop();
        f.cleanup();
      });

      it('events it emits answer the wire schemas, and rounds and commits move forward', () => {
        const t = testChain({ validators: 1, seed: `compliance-events-${h.name}` });
        const engine = h.create(t.genesis);
        const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
        engine.start(f.ctx);
        for (let i = 0; i < 200 && f.chain.headRef().height < 3 && f.timers.runNext(); i++);
        engine.stop();
        f.cleanup();
        let lastRound = { height: 0, round: 0 };
        let lastCommit = 0;
        for (const e of f.events) {
          const { type, ...body } = e;
          if (type === 'round') {
            const r = RoundChangeSchema.parse(body);
            assert.ok(r.height > lastRound.height || (r.height === lastRound.height && r.round >= lastRound.round), `round event went back to ${r.height}/${r.round}`);
            lastRound = r;
          } else if (type === 'commit') {
            const c = CommitNoticeSchema.parse(body);
            assert.ok(c.height > lastCommit, `commit at ${c.height} after ${lastCommit}`);
            assert.ok(f.chain.has(c.hash), 'a committed block is in the chain');
            lastCommit = c.height;
          } else VoteProgressSchema.parse(body);
        }
      });
    });

    describe('messages', () => {
      it('its message types are unique, well-formed, have schemas, and collide with no other reactor', () => {
        const { engine } = setup();
        const types = engine.messages.map((m) => m.type);
        assert.equal(new Set(types).size, types.length, `duplicate types in ${types.join(', ')}`);
        for (const m of engine.messages) {
          assert.equal(typeof m.schema?.safeParse, 'function', `${m.type} has a payload schema`);
          assert.equal(typeof m.handle, 'function', `${m.type} has a handler`);
        }
        const registry = new MessageRegistry();
        const syncDefs: MessageDef<unknown>[] = [StatusMsg, BlockMsg, TxMsg, TxsMsg, GetBlocksMsg, BlocksMsg];
        const sync = syncDefs.map((d) => handler(d, { handle: () => {} }));
        registry.add({ name: 'sync', messages: sync });
        registry.add(engine); // throws on a malformed type or one P2P or sync already owns
        for (const type of types) assert.equal(registry.ownerOf(type), engine.name);
      });
    });
  });
}
