// Integration: byzantine validators injected through POST /api/chaos on a real 4-validator BFT
// testnet (real node processes, real Postgres). What the issue asks the product to prove:
//  - one equivocator of four (f = 1): safety holds, the honest nodes detect the conflicting
//    signed messages, the evidence is indexed once per offence and one 'equivocation' alert
//    names the offender; the heal makes it honest again;
//  - a validator delaying its proposals past the propose timeout: its heights are decided in a
//    later round, and the index records the propose timeouts of its rounds;
//  - a behaviour given to a selection of validators (random-k with a seed) reaches each picked
//    one; a new behaviour on one of them ends that fault whole, honest again on the other;
//  - two equivocators (beyond f) with the honest two cut from each other: two different blocks
//    are finalized at one height, and the safety checker raises 'safety-violation' (so the
//    checker can fail). Last, since it leaves the network forked for good.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../node/testkit/wait-for.ts';
import type { ChaosResponse } from '../wire/chaos-api.ts';
import type { ConsensusResponse } from '../wire/explorer-api.ts';
import { startBftPlane, type BftPlane } from './testing/bft-plane.ts';

const BLOCK_TIME_MS = 500;

describe('control plane over a BFT testnet with byzantine validators', { timeout: 300_000 }, () => {
  let t: BftPlane;
  const publicKey = async (id: string) => (await t.clients.get(id)!.health()).node.publicKey;
  const lowestTip = async (of?: string[]) => Math.min(...(await t.tips(of)).map((x) => x.height));
  /** Waits until every node of `of` finalized `more` heights above where the lowest is now. */
  const commitsGoOn = async (more: number, of?: string[]) => {
    const from = await lowestTip(of);
    await waitFor(async () => (await lowestTip(of)) >= from + more, { timeoutMs: 60_000, what: `${more} more heights finalized on every node` });
  };

  before(async () => {
    t = await startBftPlane({ blockTimeMs: BLOCK_TIME_MS });
    await waitFor(async () => (await lowestTip()) >= 3, { timeoutMs: 60_000, what: 'every node finalized height 3' });
  });

  after(async () => {
    await t?.stop();
  });

  it('one equivocator of four: safety holds, its evidence is indexed and alerted once; the heal makes it honest', async () => {
    const liar = t.ids[3];
    const pk = await publicKey(liar);
    const action = await t.chaos({ kind: 'equivocate', node: liar });
    assert.equal(action.status, 'applied', JSON.stringify(action.result));
    assert.deepEqual((await t.clients.get(liar)!.chaos()).byzantine, { behaviour: 'equivocate' });

    // Honest nodes catch it. The liar may see its own conflicting messages relayed back and report
    // them first: wait for evidence an honest node reported, not for the first row indexed.
    await waitFor(async () => (await t.db.prisma.evidence.findMany({ where: { validator: pk } })).some((r) => r.reportedBy.some((id) => id !== liar)), {
      timeoutMs: 60_000,
      what: 'evidence against the equivocator, reported by an honest node, indexed',
    });
    const rows = await t.db.prisma.evidence.findMany({ where: { validator: pk } });
    for (const r of rows) assert.ok(['duplicate-vote', 'duplicate-proposal'].includes(r.kind), r.kind);
    assert.equal((await t.db.prisma.evidence.count({ where: { validator: { not: pk } } })) > 0, false, 'no honest validator is accused');
    const alerts = await waitFor(
      async () => {
        const a = await t.alerts('equivocation');
        return a.length > 0 ? a : null;
      },
      { timeoutMs: 30_000, what: 'an equivocation alert' },
    );
    assert.equal(alerts.length, 1, 'one alert per offender, however many offences');
    assert.equal(alerts[0].nodeId, liar);
    assert.match(alerts[0].message, new RegExp(`^${t.names.get(liar)} equivocated: signed two `));

    // The explorer's consensus view lists it (from the nodes and the index), naming no one else.
    const view = await t.api<ConsensusResponse>('/api/consensus');
    assert.ok(
      view.evidence.length > 0 && view.evidence.every((e) => e.validator === pk),
      `evidence in /api/consensus: ${view.evidence.map((e) => e.validator.slice(0, 8)).join(', ')}`,
    );

    await commitsGoOn(5, t.ids.slice(0, 3));
    await t.assertSameChain(await lowestTip(t.ids.slice(0, 3)), t.ids.slice(0, 3));
    assert.deepEqual(await t.alerts('safety-violation'), []);

    await t.chaos({ kind: 'heal' });
    assert.equal((await t.clients.get(liar)!.chaos()).byzantine ?? null, null);
    const list = await t.api<ChaosResponse>('/api/chaos');
    assert.equal(list.history.find((r) => r.id === action.id)?.status, 'reverted');
    await commitsGoOn(3);
    await t.assertSameChain(await lowestTip());
  });

  it('delay-proposals past the propose timeout: its heights are decided in a later round and the index records the propose timeouts', async () => {
    const slow = t.ids[1];
    const pk = await publicKey(slow);
    const since = await lowestTip();
    await t.chaos({ kind: 'delay-proposals', node: slow, delayMs: 2_000 });
    await waitFor(async () => (await t.db.prisma.consensusRound.count({ where: { height: { gt: since }, round: 0, proposer: pk, timeouts: { has: 'propose' } } })) >= 2, {
      timeoutMs: 60_000,
      what: "two of the slow proposer's round-0 proposals timed out (indexed)",
    });
    const late = await t.db.prisma.consensusRound.findMany({ where: { height: { gt: since }, round: 0, proposer: pk, timeouts: { has: 'propose' } }, select: { height: true } });
    // Those heights were still decided, in a round above 0 (the commit says which).
    await waitFor(
      async () => {
        const commits = await t.db.prisma.blockCommit.findMany({ where: { block: { height: { in: late.map((r) => r.height) } } }, select: { round: true } });
        return commits.length >= late.length && commits.every((c) => c.round > 0);
      },
      { timeoutMs: 30_000, what: 'the delayed heights decided in round 1 or later' },
    );
    await t.chaos({ kind: 'heal' });
    await commitsGoOn(3);
  });

  it('a byzantine kind on a selection: each picked validator misbehaves; a new kind on one of them ends the old fault whole; the heal makes all honest', async () => {
    const byzantine = async (id: string) => (await t.clients.get(id)!.chaos()).byzantine ?? null;
    const two = await t.chaos({ kind: 'withhold-votes', select: { pick: 'random-k', k: 2 }, seed: 5 });
    assert.equal(two.status, 'applied', JSON.stringify(two.result));
    assert.equal(two.targets.length, 2);
    for (const id of t.ids) assert.deepEqual(await byzantine(id), two.targets.includes(id) ? { behaviour: 'withhold-votes' } : null, t.names.get(id));

    // A new behaviour on one of the two replaces the old fault there, and undoes it on the other.
    const [x, y] = two.targets;
    await t.chaos({ kind: 'delay-proposals', node: x, delayMs: 100 });
    assert.deepEqual(await byzantine(x), { behaviour: 'delay-proposals', delayMs: 100 });
    assert.equal(await byzantine(y), null, 'the replaced fault is undone on its other node');
    assert.equal((await t.api<ChaosResponse>('/api/chaos')).history.find((r) => r.id === two.id)?.status, 'reverted');

    await t.chaos({ kind: 'heal' });
    for (const id of t.ids) assert.equal(await byzantine(id), null, t.names.get(id));
    await commitsGoOn(3);
  });

  it('two equivocators with the honest two cut from each other: two blocks finalized at one height, and the checker raises safety-violation', async () => {
    const [a, c, b1, b2] = t.ids;
    await t.chaos({ kind: 'loss', target: { from: a, to: c }, pct: 100 });
    await t.chaos({ kind: 'loss', target: { from: c, to: a }, pct: 100 });
    await t.chaos({ kind: 'equivocate', node: b1 });
    await t.chaos({ kind: 'equivocate', node: b2 });
    const violations = await waitFor(
      async () => {
        const v = await t.alerts('safety-violation');
        return v.length > 0 ? v : null;
      },
      { timeoutMs: 90_000, what: 'a safety-violation alert' },
    );
    assert.equal(violations[0].severity, 'critical');
    assert.match(violations[0].message, /^Safety violation: /);
    // The checker did not make it up: the two honest nodes hold different finalized blocks at one height.
    const [ta, tc] = await t.tips([a, c]);
    const upTo = Math.min(ta.height, tc.height);
    const [ca, cc] = await Promise.all([t.chain(a, upTo), t.chain(c, upTo)]);
    assert.ok(
      ca.some((h, i) => h !== cc[i]),
      `${t.names.get(a)} and ${t.names.get(c)} differ at some height up to ${upTo}`,
    );
  });
});
