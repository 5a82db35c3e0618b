// The BFT engine in a node's seat: 4 engines, each on its own real Chain, with a simulated
// network on fake time (every message and every decided block reaches the others 1 ms later,
// through the payload schemas as on the wire). Checks that they commit 20+ heights with the
// same hashes and a verifying commit on every block, that a block without a valid commit is
// refused, that bad votes are penalized, and that a validator restarted from its signing WAL
// takes part again. The network is testkit/engine-sim.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CommitNoticeSchema, ConsensusRoundStateSchema, ConsensusStatusSchema, RoundChangeSchema, VoteProgressSchema, type Block } from '../../../wire/node-api.ts';
import { Chain } from '../../chain/chain.ts';
import { ChainError } from '../../chain/errors.ts';
import { createLogger } from '../../logger.ts';
import { createMetrics } from '../../metrics.ts';
import type { P2PError } from '../../p2p/errors.ts';
import type { PeerConnection } from '../../p2p/peer-connection.ts';
import { MessageRegistry } from '../../p2p/message-registry.ts';
import { BlockImporter } from '../../sync/block-importer.ts';
import type { CatchUp } from '../../sync/catch-up.ts';
import { Gossip } from '../../sync/gossip.ts';
import type { EngineEvents } from '../engine.ts';
import { BftEngine } from './bft-engine.ts';
import { simulateEngines } from './testkit/engine-sim.ts';
import { BftVoteMsg } from './bft-messages.ts';
import { verifyCommit } from './commit.ts';
import { SignWal } from './sign-wal.ts';
import { signVote } from './signing.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bft-engine-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const simulate = (label: string, validators?: number, events?: EngineEvents) => simulateEngines(tmp, label, validators, events);

describe('BFT engine (4 validators, simulated network)', () => {
  it('commits 20+ heights: the same hash everywhere, and every block carries a commit that verifies', () => {
    const sim = simulate('commit');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(22, 60_000);
    const top = Math.min(...sim.nodes.map((n) => n.chain.headRef().height));
    for (let h = 1; h <= top; h++) {
      const blocks = sim.nodes.map((n) => n.chain.getByHeight(h)!);
      assert.equal(new Set(blocks.map((b) => b.hash)).size, 1, `one block at height ${h}`);
      for (const b of blocks) {
        assert.ok(b.commit, `block ${h} has a commit`);
        assert.deepEqual(verifyCommit(sim.genesis.chainId, b.commit, sim.nodes[0].engine.validators, { height: h, blockHash: b.hash }), { ok: true });
        assert.equal(b.header.proposer, sim.nodes[0].engine.proposer(h, b.header.slot), 'proposer of the round in the header');
      }
    }
    // Fault-free: every height decided in round 0, and no node penalized another.
    assert.ok(sim.nodes[0].chain.getByHeight(top)!.header.slot === 0);
    assert.deepEqual(
      sim.nodes.flatMap((n) => n.penalties),
      [],
    );
    // Heights are paced by commitWait: about one block time each.
    const first = sim.nodes[0].chain.getByHeight(1)!.header.timestamp;
    const last = sim.nodes[0].chain.getByHeight(top)!.header.timestamp;
    assert.ok((last - first) / (top - 1) >= 200, `average block interval ${(last - first) / (top - 1)} ms`);
    for (const n of sim.nodes) n.engine.stop();
    // Only messages in flight remain; delivering them wakes no stopped engine.
    const heights = sim.nodes.map((n) => n.chain.headRef().height);
    for (let i = 0; i < 1000 && sim.timers.runNext(); i++);
    assert.equal(sim.timers.count, 0, 'no timer left after stop');
    assert.deepEqual(
      sim.nodes.map((n) => n.chain.headRef().height),
      heights,
    );
  });

  it('refuses a block without a commit, with a short commit, a forged signature or a commit for another block', () => {
    const sim = simulate('forged');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(2, 20_000);
    for (const n of sim.nodes) n.engine.stop();
    const b1 = sim.nodes[0].chain.getByHeight(1)!;
    const b2 = sim.nodes[0].chain.getByHeight(2)!;
    const fresh = new Chain(sim.genesis, new BftEngine(sim.genesis));
    const code = (block: Block) => {
      try {
        fresh.importBlock(block, { nowMs: sim.clock.now() });
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof ChainError);
        return `${err.code}${err.context.reason ? `/${String(err.context.reason)}` : ''}`;
      }
    };
    const { commit, ...bare } = b1;
    assert.ok(commit);
    assert.equal(code(bare), 'BLOCK_COMMIT_MISSING');
    assert.equal(code({ ...b1, commit: { ...commit, signatures: commit.signatures.slice(0, 2) } }), 'BLOCK_COMMIT_INVALID/COMMIT_SHORT');
    const forged = commit.signatures.map((s, i) => (i === 0 ? { ...s, signature: (s.signature[0] === 'a' ? 'b' : 'a') + s.signature.slice(1) } : s));
    assert.equal(code({ ...b1, commit: { ...commit, signatures: forged } }), 'BLOCK_COMMIT_INVALID/COMMIT_BAD_SIGNATURE');
    assert.equal(code({ ...b1, commit: b2.commit }), 'BLOCK_COMMIT_INVALID/COMMIT_MISMATCH');
    assert.equal(fresh.headRef().height, 0);
    assert.equal(code(b1), 'accepted');
  });

  it('a block without a valid commit that comes by gossip is rejected and its sender penalized, and does not shadow the valid one', () => {
    const sim = simulate('gossip-penalty');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(1, 20_000);
    for (const n of sim.nodes) n.engine.stop();
    const b1 = sim.nodes[0].chain.getByHeight(1)!;
    const chain = new Chain(sim.genesis, new BftEngine(sim.genesis));
    const penalties: P2PError[] = [];
    const host = { connected: () => [], broadcast: () => 0, penalize: (_p: PeerConnection, err: P2PError) => void penalties.push(err) };
    const logger = createLogger({ level: 'silent' });
    const gossip = new Gossip({
      chain,
      mempool: { has: () => false, add: () => {} } as never,
      importer: new BlockImporter(chain, { now: () => sim.clock.now() } as never, createMetrics(), logger),
      catchUp: () => ({ poke: () => {} }) as unknown as CatchUp,
      host: () => host as never,
      metrics: createMetrics(),
      logger,
      isPaused: () => false,
    });
    const registry = new MessageRegistry();
    registry.add(gossip);
    const sender = { remote: { id: 'ab'.repeat(8), publicKey: 'ab'.repeat(32) }, head: null } as unknown as PeerConnection;
    const { commit, ...bare } = b1;
    registry.get('block')!.handle(sender, { block: bare });
    assert.equal(penalties.length, 1);
    assert.equal(penalties[0].code, 'INVALID_BLOCK');
    assert.match(penalties[0].message, /BLOCK_COMMIT_MISSING/);
    assert.equal(chain.headRef().height, 0);
    registry.get('block')!.handle(sender, { block: { ...b1, commit: { ...commit!, signatures: commit!.signatures.slice(1, 2) } } });
    assert.equal(penalties.length, 2);
    assert.match(penalties[1].message, /BLOCK_COMMIT_INVALID/);
    assert.equal(chain.headRef().height, 0);
    // The same block with its valid commit, from an honest peer, still gets in.
    registry.get('block')!.handle(sender, { block: b1 });
    assert.equal(chain.headRef().hash, b1.hash);
    assert.equal(penalties.length, 2);
  });

  it('penalizes a vote with a bad signature and one from a non-validator, and ignores past heights', () => {
    const sim = simulate('bad-votes');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(3, 20_000);
    const target = sim.nodes[0];
    const h = target.engine.running!.core.state().height;
    const key = sim.t.validators[1];
    const vote = signVote(sim.genesis.chainId, { type: 'prevote', height: h, round: 0, blockHash: null, validator: key.publicKey }, key);
    const voteHandler = target.engine.messages.find((m) => m.type === BftVoteMsg.type)!;
    const peer = sim.nodes[1].peer;
    voteHandler.handle(peer, { vote: { ...vote, signature: (vote.signature[0] === 'a' ? 'b' : 'a') + vote.signature.slice(1) } });
    assert.equal(target.penalties.at(-1)?.code, 'SIGNATURE_INVALID');
    const outsider = sim.t.accounts[0];
    voteHandler.handle(peer, { vote: signVote(sim.genesis.chainId, { type: 'prevote', height: h, round: 0, blockHash: null, validator: outsider.publicKey }, outsider) });
    assert.equal(target.penalties.at(-1)?.code, 'UNEXPECTED_MESSAGE');
    const before = target.penalties.length;
    // A forged vote of a past height is not even checked: it cannot matter any more; nor is one
    // of a round no live network reaches.
    voteHandler.handle(peer, { vote: { ...vote, height: 1, signature: 'ab'.repeat(64) } });
    voteHandler.handle(peer, { vote: { ...vote, round: 1_000_000, signature: 'ab'.repeat(64) } });
    assert.equal(target.penalties.length, before);
    for (const n of sim.nodes) n.engine.stop();
  });

  it('goes on with 3 of 4 validators, and a validator restarted from its signing WAL votes again', () => {
    const sim = simulate('restart');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(3, 20_000);
    const victim = sim.nodes[3];
    victim.engine.stop();
    sim.down.add(3);
    sim.runUntil(8, 60_000, [0, 1, 2]);
    // The victim's turns to propose went to the next round's proposer (a round change).
    const victimKey = sim.t.validators[3].publicKey;
    const roundChanges = [4, 5, 6, 7, 8].map((h) => sim.nodes[0].chain.getByHeight(h)!).filter((b) => b.header.slot > 0);
    assert.ok(roundChanges.length > 0, 'some height needed a second round');
    for (const b of roundChanges) assert.notEqual(b.header.proposer, victimKey);
    assert.ok(fs.existsSync(path.join(victim.ctx.dataDir, 'sign-wal.log')), 'the WAL lives in the engine data dir');
    sim.down.delete(3);
    // It missed the blocks while down: catch-up brings them.
    for (let h = victim.chain.headRef().height + 1; h <= sim.nodes[0].chain.headRef().height; h++) {
      victim.chain.importBlock(sim.nodes[0].chain.getByHeight(h)!, { nowMs: sim.clock.now() });
    }
    victim.engine.start(victim.ctx);
    const from = sim.nodes[0].chain.headRef().height;
    sim.runUntil(from + 8, 60_000);
    const signers = new Set<string>();
    for (let h = from + 2; h <= from + 8; h++) for (const s of sim.nodes[0].chain.getByHeight(h)!.commit!.signatures) signers.add(s.validator);
    assert.ok(signers.has(sim.t.validators[3].publicKey), 'the restarted validator precommits again');
    for (const n of sim.nodes) n.engine.stop();
  });

  it('a paused validator neither proposes nor votes; the other 3 go on without it', () => {
    const sim = simulate('paused');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(2, 20_000);
    sim.paused.add(0);
    const mark = sim.sent.length;
    const from = sim.nodes[1].chain.headRef().height;
    sim.runUntil(from + 6, 60_000, [1, 2, 3]);
    assert.deepEqual(
      sim.sent.slice(mark).filter((m) => m.from === 0),
      [],
      'nothing sent while paused',
    );
    for (let h = from + 2; h <= from + 6; h++) {
      const signers = sim.nodes[1].chain.getByHeight(h)!.commit!.signatures.map((x) => x.validator);
      assert.ok(!signers.includes(sim.t.validators[0].publicKey), `height ${h} committed without the paused validator`);
    }
    for (const n of sim.nodes) n.engine.stop();
  });

  it('a restarted validator re-sends its last signed vote and keeps the lock its WAL recovered', () => {
    const sim = simulate('wal-recovery');
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(3, 20_000);
    for (const n of sim.nodes) n.engine.stop();
    const victim = sim.nodes[1];
    const next = victim.chain.headRef().height + 1;
    const locked = 'ab'.repeat(32);
    // What the WAL held when the validator crashed: a lock and a precommit at the next height.
    const { wal } = SignWal.open(victim.ctx.dataDir);
    const key = victim.ctx.key;
    const precommit = { kind: 'precommit' as const, height: next, round: 2, blockHash: locked };
    const lock = { height: next, lockedRound: 2, lockedValue: locked, validRound: 2, validValue: locked };
    wal.beforeSign(precommit, () => signVote(sim.genesis.chainId, { type: 'precommit', height: next, round: 2, blockHash: locked, validator: key.publicKey }, key).signature, {
      lock,
    });
    wal.close();
    const mark = sim.sent.length;
    victim.engine.start(victim.ctx);
    const state = victim.engine.running!.core.state();
    assert.equal(state.height, next);
    assert.equal(state.lockedRound, 2);
    assert.equal(state.lockedValue, locked);
    const resent = sim.sent.slice(mark).find((m) => m.type === BftVoteMsg.type);
    assert.ok(resent, 'the last signed vote goes out again');
    const vote = (resent.payload as { vote: { type: string; round: number; blockHash: string } }).vote;
    assert.deepEqual([vote.type, vote.round, vote.blockHash], ['precommit', 2, locked]);
    victim.engine.stop();
  });

  it('tells the surfaces where it stands: status, round state with every vote, and /stream events', () => {
    const seen = { round: [] as unknown[], commit: [] as unknown[], votes: [] as unknown[] };
    const sim = simulate('views', 4, {
      round: (e) => void seen.round.push(RoundChangeSchema.parse(e)),
      commit: (e) => void seen.commit.push(CommitNoticeSchema.parse(e)),
      votes: (e) => void seen.votes.push(VoteProgressSchema.parse(e)),
      evidence: () => assert.fail('no equivocation among honest validators'),
    });
    const engine = sim.nodes[0].engine;
    assert.equal(engine.status().height, 0);
    assert.equal(engine.roundState(), null);
    for (const n of sim.nodes) n.engine.start(n.ctx);
    let sawFullPrevotes = false;
    for (let i = 0; i < 5000 && sim.nodes[0].chain.headRef().height < 5 && sim.timers.runNext(); i++) {
      const status = ConsensusStatusSchema.parse(engine.status());
      const rs = ConsensusRoundStateSchema.parse(engine.roundState());
      assert.ok(status.height > sim.nodes[0].chain.headRef().height);
      assert.equal(rs.height, status.height);
      assert.equal(status.proposer, engine.proposer(status.height, status.round));
      if (rs.rounds[0]?.prevotes.every((v) => v !== null)) sawFullPrevotes = true;
    }
    assert.ok(sawFullPrevotes, 'the round state showed all 4 prevotes at some point');
    const commits = seen.commit as Array<{ height: number; signers: string[] }>;
    assert.deepEqual(
      commits.map((c) => c.height),
      [1, 2, 3, 4, 5],
    );
    assert.ok(commits.every((c) => c.signers.length >= 3));
    assert.ok(seen.round.length > 0 && seen.votes.length > 0);
    for (const n of sim.nodes) n.engine.stop();
  });
});
