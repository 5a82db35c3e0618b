// Test kit: BFT engines in a node's seat on a simulated network with fake time. Each engine
// runs on its own real Chain; every message and every decided block reaches the others 1 ms
// later, through the payload schemas as on the wire. Links can be taken down (`down`), made
// lossy per delivery (`faults.drop`, so a fault can heal), and validators paused. Unlike
// sim-network.ts (bare cores, idealized gossip) this runs the real driver, so it pins what the
// driver's own gossip does.
import assert from 'node:assert/strict';
import path from 'node:path';
import { Chain } from '../../../chain/chain.ts';
import { ChainError } from '../../../chain/errors.ts';
import { createLogger } from '../../../logger.ts';
import { createMetrics } from '../../../metrics.ts';
import type { P2PError } from '../../../p2p/errors.ts';
import type { MessageDef } from '../../../p2p/messages.ts';
import type { PeerConnection } from '../../../p2p/peer-connection.ts';
import type { Block } from '../../../../wire/node-api.ts';
import { testChain } from '../../../testkit/chain-builder.ts';
import { FakeClock, FakeTimers } from '../../compliance/engine-compliance.ts';
import { silentEngineEvents, type EngineContext, type EngineEvents, type SubmitOutcome } from '../../engine.ts';
import { bftDefinition, type BftEngine } from '../bft-engine.ts';

export interface EngineSimNode {
  engine: BftEngine;
  chain: Chain;
  ctx: EngineContext;
  peer: PeerConnection;
  penalties: P2PError[];
}

/**
 * `validators` BftEngines, validator i on its own Chain with its data under `dataRoot/label`;
 * `events` go to node 0's ctx. Nothing starts until the test calls engine.start(ctx).
 */
export function simulateEngines(dataRoot: string, label: string, validators = 4, events: EngineEvents = silentEngineEvents) {
  const t = testChain({ validators, seed: `bft-engine-${label}`, blockTimeMs: 200 });
  const genesis = { ...t.genesis, consensus: { engine: 'bft' } };
  const clock = new FakeClock(genesis.genesisTime + 1);
  const timers = new FakeTimers(clock);
  const nodes: EngineSimNode[] = [];
  const down = new Set<number>();
  /** A lossy link, decided per delivery (so a fault can heal): true drops the message `from` sent `to`. */
  const faults: { drop: ((type: string, payload: unknown, from: number, to: number) => boolean) | null } = { drop: null };
  const deliver = (from: number, def: MessageDef<unknown>, payload: unknown) => {
    for (const to of nodes.keys()) {
      if (to === from) continue;
      const wire = def.schema.parse(JSON.parse(JSON.stringify(payload)));
      timers.setTimeout(() => {
        if (down.has(to) || down.has(from) || faults.drop?.(def.type, wire, from, to)) return;
        const h = nodes[to].engine.messages.find((m) => m.type === def.type)!;
        if (h.isDuplicate?.(wire)) return;
        h.handle(nodes[from].peer, wire);
      }, 1);
    }
  };
  const gossipBlock = (from: number, block: Block) => {
    for (const to of nodes.keys()) {
      if (to === from) continue;
      timers.setTimeout(() => {
        if (down.has(to) || down.has(from)) return;
        try {
          nodes[to].chain.importBlock(structuredClone(block), { nowMs: clock.now() });
        } catch (err) {
          if (!(err instanceof ChainError)) throw err;
        }
      }, 1);
    }
  };
  const paused = new Set<number>();
  const sent: Array<{ from: number; type: string; payload: unknown }> = [];
  t.validators.slice(0, validators).forEach((key, i) => {
    const engine = bftDefinition.create(genesis, bftDefinition.params.parse({}), {}) as BftEngine;
    const chain = new Chain(genesis, engine);
    const penalties: P2PError[] = [];
    const ctx: EngineContext = {
      key,
      clock,
      chain,
      timers,
      dataDir: path.join(dataRoot, label, `node-${i}`),
      network: {
        send: () => true,
        broadcast: (def, payload) => (sent.push({ from: i, type: def.type, payload }), deliver(i, def as MessageDef<unknown>, payload), validators - 1),
        connected: () => [],
        penalize: (_peer, err) => void penalties.push(err),
      },
      selectTxs: () => [],
      submitBlock: (block): SubmitOutcome => {
        try {
          const r = chain.importBlock(block, { nowMs: clock.now() });
          if (r.status === 'accepted') gossipBlock(i, block);
          return { status: r.status };
        } catch (err) {
          if (err instanceof ChainError) return { status: 'rejected', error: err };
          throw err;
        }
      },
      isPaused: () => paused.has(i),
      mayPropose: () => true,
      events: i === 0 ? events : silentEngineEvents,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
    } as EngineContext;
    nodes.push({ engine, chain, ctx, peer: { id: `peer-${i}` } as unknown as PeerConnection, penalties });
  });
  /** Runs timers until every running node's chain is at `height` (or the fake deadline passes). */
  const runUntil = (height: number, withinMs: number, which = [...nodes.keys()]) => {
    const deadline = clock.now() + withinMs;
    while (which.some((i) => nodes[i].chain.headRef().height < height) && clock.now() <= deadline && timers.runNext());
    for (const i of which) assert.ok(nodes[i].chain.headRef().height >= height, `node ${i} at height ${nodes[i].chain.headRef().height}, wanted ${height} within ${withinMs} ms`);
  };
  return { t, genesis, clock, timers, nodes, down, faults, paused, sent, runUntil };
}

export type EngineSim = ReturnType<typeof simulateEngines>;
