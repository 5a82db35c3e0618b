// The start-up gate: a node with peers proposes only once it has met one and caught up, alone
// after a couple of slots with nobody connected, and anyway once catching up runs far too long.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../logger.ts';
import { StartupGate, startupGateTimes } from './startup-gate.ts';

interface World {
  now: number;
  peers: number;
  caughtUp: boolean;
  logged: { level: string; msg: string }[];
}

function gate(world: World, hasConfiguredPeers = true): StartupGate {
  const logger = createLogger({ level: 'silent' });
  const record = (level: string) => (_fields: unknown, msg: string) => void world.logged.push({ level, msg });
  return new StartupGate(
    {
      hasConfiguredPeers,
      connectedPeers: () => world.peers,
      caughtUp: () => world.caughtUp,
      headHeight: () => 0,
      now: () => world.now,
      logger: Object.assign(Object.create(logger) as typeof logger, { info: record('info'), warn: record('warn') }),
    },
    { aloneAfterMs: 2_000, giveUpAfterMs: 10_000 },
  );
}

const fresh = (): World => ({ now: 1_000_000, peers: 0, caughtUp: true, logged: [] });

describe('StartupGate', () => {
  it('lets a node without peers to dial propose at once', () => {
    assert.equal(gate(fresh(), false).mayPropose(), true);
  });

  it('holds proposals while dials are held by the launcher, however long', () => {
    const w = fresh();
    const g = gate(w);
    w.now += 60_000;
    assert.equal(g.mayPropose(), false);
  });

  it('opens once a peer is connected and nothing is left to fetch, and stays open', () => {
    const w = fresh();
    const g = gate(w);
    g.dialingStarted();
    assert.equal(g.mayPropose(), false, 'no peer yet');
    w.peers = 2;
    w.caughtUp = false;
    w.now += 500;
    assert.equal(g.mayPropose(), false, 'a peer has blocks we lack');
    w.caughtUp = true;
    assert.equal(g.mayPropose(), true);
    assert.deepEqual(w.logged, [{ level: 'info', msg: 'caught up with peers after start: proposing' }]);
    w.peers = 0;
    w.caughtUp = false;
    assert.equal(g.mayPropose(), true, 'a later partition does not close it');
    assert.equal(w.logged.length, 1, 'opening is logged once');
  });

  it('proposes alone when no peer connects within the grace, and says so', () => {
    const w = fresh();
    const g = gate(w);
    g.dialingStarted();
    w.now += 1_999;
    assert.equal(g.mayPropose(), false);
    w.now += 1;
    assert.equal(g.mayPropose(), true);
    assert.equal(w.logged[0].level, 'warn');
    assert.match(w.logged[0].msg, /no peer connected/);
  });

  it('waits for a connected peer to be caught up with beyond the alone grace, but not past the give-up deadline', () => {
    const w = fresh();
    const g = gate(w);
    g.dialingStarted();
    w.peers = 1;
    w.caughtUp = false;
    w.now += 5_000;
    assert.equal(g.mayPropose(), false, 'a long sync from a connected peer is waited for');
    w.now += 5_000;
    assert.equal(g.mayPropose(), true);
    assert.match(w.logged[0].msg, /still catching up/);
  });

  it('counts the deadlines from when dialing started, not from construction', () => {
    const w = fresh();
    const g = gate(w);
    w.now += 30_000;
    g.dialingStarted();
    g.dialingStarted(); // a second release does not move the start
    w.now += 1_000;
    assert.equal(g.mayPropose(), false);
  });

  it('scales its deadlines with slow chains', () => {
    assert.deepEqual(startupGateTimes(500), { aloneAfterMs: 2_000, giveUpAfterMs: 10_000 });
    assert.deepEqual(startupGateTimes(5_000), { aloneAfterMs: 10_000, giveUpAfterMs: 50_000 });
  });
});
