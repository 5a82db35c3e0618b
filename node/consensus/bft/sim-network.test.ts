// Tendermint on simulated networks: bare cores (testkit/sim-network.ts: partitions, drops,
// byzantine validators, a safety and liveness property), and the real driver where its own
// gossip is what is pinned (testkit/engine-sim.ts: the bb552ce polka-relay regression).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { simulateEngines } from './testkit/engine-sim.ts';
import { type Behaviour, type Partition, type SimMessage, SimNetwork } from './testkit/sim-network.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-network-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Heights every honest node decided, and whether they agree (the decisions, by height). */
function agreedHeights(sim: SimNetwork, nodes = sim.honest()): number {
  let h = 0;
  for (;;) {
    const values = new Set(nodes.map((i) => sim.decisionOf(i, h + 1)));
    if (values.size !== 1 || values.has(undefined)) return h;
    h++;
  }
}

describe('SimNetwork: Tendermint cores on a simulated network', () => {
  it('4 honest nodes, no faults: every node decides the same value at heights 1..50', () => {
    const sim = new SimNetwork({ n: 4, seed: 1, delayMs: { min: 1, max: 30 } });
    sim.start();
    assert.equal(sim.runUntilDecided(50, 120_000), true);
    assert.ok(agreedHeights(sim) >= 50);
    assert.deepEqual(sim.safetyViolations(), []);
    // One round a height and paced by commitWait: ~1 s a height.
    assert.ok(sim.now < 55_000, `50 heights took ${sim.now} ms of virtual time`);
  });

  it('the same seed replays the same schedule; another seed does not', () => {
    const run = (seed: number) => {
      const sim = new SimNetwork({ n: 4, seed, delayMs: { min: 1, max: 900 }, dropRate: 0.2, gstMs: 10_000 });
      sim.start();
      sim.runUntil(15_000);
      return [sim.deliveries, [...sim.decisions(0)].join()];
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
  });

  it('2|2 partition: nobody decides; after the heal all decide the same value within a few rounds', () => {
    const partitions: Partition[] = [
      {
        groups: [
          [0, 1],
          [2, 3],
        ],
        fromMs: 0,
        healMs: 20_000,
      },
    ];
    const sim = new SimNetwork({ n: 4, seed: 2, partitions });
    sim.start();
    sim.runUntil(20_000);
    for (const i of [0, 1, 2, 3]) assert.equal(sim.decisions(i).size, 0, `node ${i} decided without a quorum`);
    // Rounds run on with growing timeouts; after the heal, f+1 messages of a higher round pull
    // everyone into it and the first honest proposer's round decides.
    assert.equal(sim.runUntilDecided(1, 20_000 + 10_000), true, 'height 1 within 10 s of the heal');
    assert.ok(sim.runUntilDecided(5, 40_000));
    assert.deepEqual(sim.safetyViolations(), []);
  });

  it('3|1 partition: the three decide, the one does not until the heal, then catches up on the same values', () => {
    const partitions: Partition[] = [{ groups: [[0, 1, 2], [3]], fromMs: 0, healMs: 15_000 }];
    const sim = new SimNetwork({ n: 4, seed: 3, partitions });
    sim.start();
    sim.runUntil(15_000);
    assert.ok(agreedHeights(sim, [0, 1, 2]) >= 8, 'the majority went on');
    assert.equal(sim.decisions(3).size, 0, 'the minority stalled');
    const majority = agreedHeights(sim, [0, 1, 2]);
    assert.ok(sim.runUntilDecided(majority, 25_000));
    assert.ok(agreedHeights(sim) >= majority, 'the one decided every height the three had, identically');
    assert.deepEqual(sim.safetyViolations(), []);
  });

  it("locks (lines 22, 29) keep safety when a decided value's precommits are lost to the others", () => {
    // Height 1, round 0: v1 proposes A; v3 never gets the proposal (no validValue for it).
    // v0, v1, v2 prevote A and precommit A (locked); only v0 gets all three precommits and
    // decides A. The others see 2f+1 precommits of mixed values and go to round 1, whose
    // proposal (v2's) is lost; round 2's proposer v3 then proposes a fresh value B. Without
    // the locks v1 and v2 would prevote B and decide it: two decisions at height 1.
    const deliverIf = (msg: SimMessage, to: number): boolean => {
      if (msg.kind === 'proposal') return !(msg.proposal.round === 0 && to === 3) && msg.proposal.round !== 1;
      const v = msg.vote;
      if (v.type !== 'precommit' || v.round !== 0 || v.blockHash === null || to === 0) return true;
      return (v.validator === 'v0' && to !== 0) || (v.validator === 'v1' && to === 3);
    };
    const sim = new SimNetwork({ n: 4, seed: 9, delayMs: { min: 1, max: 5 }, deliverIf });
    sim.start();
    assert.ok(sim.runUntilDecided(1, 30_000), 'everyone decides height 1');
    assert.equal(sim.decisionOf(0, 1), 'B1.0.1');
    assert.deepEqual(sim.safetyViolations(), []);
    assert.deepEqual(
      [1, 2, 3].map((i) => sim.decisionOf(i, 1)),
      ['B1.0.1', 'B1.0.1', 'B1.0.1'],
    );
  });

  it('one silent validator of four: the others still decide every height', () => {
    const sim = new SimNetwork({ n: 4, seed: 5, byzantine: { 2: 'silent' } });
    sim.start();
    assert.ok(sim.runUntilDecided(10, 60_000));
    assert.deepEqual(sim.safetyViolations(), []);
  });

  it('one equivocating validator of four: safety holds, equivocations are seen, heights go on', () => {
    const sim = new SimNetwork({ n: 4, seed: 6, byzantine: { 1: 'equivocate' } });
    sim.start();
    assert.ok(sim.runUntilDecided(10, 60_000));
    assert.deepEqual(sim.safetyViolations(), []);
    assert.ok(sim.equivocationsSeen > 0, 'the adversary did equivocate');
  });

  it('beyond f (2 of 4 equivocating) a schedule breaks safety: the assertion can fail', () => {
    const sim = new SimNetwork({ n: 4, seed: 11, byzantine: { 0: 'equivocate', 1: 'equivocate' } });
    sim.start();
    sim.runUntil(10_000);
    const violations = sim.safetyViolations();
    assert.ok(violations.length > 0, 'no violation found');
    // Height 1's proposer is v1: it showed v2 one block and v3 another, and both got 3 precommits.
    assert.deepEqual(violations[0], { height: 1, values: { 2: 'B1.0.1', 3: 'B1.0.1~' } });
  });

  it('property: with at most f byzantine nodes no two honest nodes decide differently (safety), and after GST and the heal every honest node decides (liveness)', () => {
    const scenario = fc.constantFrom(4, 7).chain((n) => {
      const f = Math.floor((n - 1) / 3);
      return fc.record({
        n: fc.constant(n),
        seed: fc.integer(),
        maxDelayMs: fc.integer({ min: 1, max: 1500 }),
        dropRate: fc.double({ min: 0, max: 0.4, noNaN: true }),
        gstMs: fc.integer({ min: 0, max: 8000 }),
        partition: fc.option(
          fc.record({
            cut: fc.integer({ min: 1, max: n - 1 }),
            fromMs: fc.integer({ min: 0, max: 5000 }),
            lengthMs: fc.integer({ min: 0, max: 8000 }),
          }),
        ),
        byzantine: fc.uniqueArray(
          fc.record({
            node: fc.integer({ min: 0, max: n - 1 }),
            behaviour: fc.constantFrom<Exclude<Behaviour, 'honest'>>('silent', 'equivocate'),
          }),
          { maxLength: f, selector: (b) => b.node },
        ),
      });
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const nodes = Array.from({ length: s.n }, (_, i) => i);
        const partitions: Partition[] = s.partition
          ? [
              {
                groups: [nodes.slice(0, s.partition.cut), nodes.slice(s.partition.cut)],
                fromMs: s.partition.fromMs,
                healMs: s.partition.fromMs + s.partition.lengthMs,
              },
            ]
          : [];
        const sim = new SimNetwork({
          n: s.n,
          seed: s.seed,
          delayMs: { min: 1, max: s.maxDelayMs },
          dropRate: s.dropRate,
          gstMs: s.gstMs,
          partitions,
          byzantine: Object.fromEntries(s.byzantine.map((b) => [b.node, b.behaviour])),
        });
        sim.start();
        const stableAt = Math.max(s.gstMs, ...partitions.map((p) => p.healMs));
        sim.runUntil(stableAt);
        assert.deepEqual(sim.safetyViolations(), [], 'safety before GST');
        const before = Math.max(0, ...sim.honest().map((i) => sim.decisions(i).size));
        // Liveness bound: 40 s of virtual time after GST, i.e. a bounded number of rounds (a
        // round at round r lasts about 2 s + 0.75 s·r with the 1 s block-time defaults).
        assert.ok(sim.runUntilDecided(before + 2, stableAt + 40_000), `stuck below height ${before + 2}`);
        assert.deepEqual(sim.safetyViolations(), [], 'safety after GST');
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });
});

describe('BFT drivers on a simulated network with a healing loss fault', () => {
  it('regression (bb552ce): a polka only some nodes saw is relayed, so the re-proposal of its value is accepted and the height decides', () => {
    // Height 1: p proposes A in round 0; q proposes in round 1; r and s are the others. A loss
    // fault while the height is in rounds 0 and 1 drops the proposal to s, p's round-0 prevote
    // to r and r's to s. So p and q see the polka (p, q, r) and lock A; r and s each miss one
    // prevote of it and precommit nil; round 0 fails. q's re-proposal of A with validRound 0
    // in round 1 is refused by r and s (line 28 needs the polka), so round 1 fails too, and
    // afterwards p and q prevote only A while r and s can never accept it: stuck for good,
    // unless the locked nodes relay the polka's prevotes once the fault heals (bft-driver.ts
    // regossip). Own votes are re-sent only for the current round and the one before, and the
    // first-seen relay of every vote happened during the fault: only the polka relay helps.
    const sim = simulateEngines(tmp, 'polka-relay');
    const engine = sim.nodes[0].engine;
    const indexOf = (key: string) => sim.nodes.findIndex((n) => n.ctx.key.publicKey === key);
    const p = indexOf(engine.proposer(1, 0));
    const q = indexOf(engine.proposer(1, 1));
    const [r, s] = [0, 1, 2, 3].filter((i) => i !== p && i !== q);
    const voterOf = (payload: unknown) => indexOf((payload as { vote: { validator: string } }).vote.validator);
    const inFault = () => sim.nodes.some((n) => n.engine.status().height === 1 && n.engine.status().round < 2);
    sim.faults.drop = (type, payload, _from, to) => {
      if (!inFault()) return false;
      if (type === 'bft_proposal') return to === s && (payload as { proposal: { height: number; round: number } }).proposal.round === 0;
      if (type !== 'bft_vote') return false;
      const vote = (payload as { vote: { type: string; height: number; round: number } }).vote;
      if (vote.type !== 'prevote' || vote.height !== 1 || vote.round !== 0) return false;
      return (voterOf(payload) === p && to === r) || (voterOf(payload) === r && to === s);
    };
    for (const n of sim.nodes) n.engine.start(n.ctx);
    sim.runUntil(1, 60_000);
    const block = sim.nodes[p].chain.getByHeight(1)!;
    for (const n of sim.nodes) assert.equal(n.chain.getByHeight(1)!.hash, block.hash, 'one block at height 1');
    assert.equal(block.header.proposer, engine.proposer(1, 0), "the decided value is p's round-0 block, the value p and q locked");
    assert.ok(block.commit!.round >= 2, `decided after the fault, in round ${block.commit!.round}`);
    // The round that decided it had a re-proposal of A with validRound 0, and r and s prevoted A in it.
    const reproposal = sim.sent.find((m) => {
      const pr = (m.payload as { proposal?: { round: number; validRound: number; blockHash: string } }).proposal;
      return m.type === 'bft_proposal' && pr?.round === block.commit!.round && pr.validRound === 0 && pr.blockHash === block.hash;
    });
    assert.ok(reproposal, 'the deciding round re-proposed A with validRound 0');
    type SentVote = { type: string; round: number; blockHash: string | null };
    const prevotedA = (i: number) =>
      sim.sent.some((m) => {
        const v = m.type === 'bft_vote' ? (m.payload as { vote: SentVote }).vote : null;
        return m.from === i && v?.type === 'prevote' && v.round === block.commit!.round && v.blockHash === block.hash;
      });
    for (const i of [r, s]) assert.ok(prevotedA(i), `node ${i} accepted the re-proposal`);
  });
});
