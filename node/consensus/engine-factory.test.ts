// Unit: the node builds the engine its genesis names; an unknown engine or bad parameters
// stop the node at startup with a clear error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ChainError } from '../chain/errors.ts';
import { parseGenesis } from '../chain/genesis.ts';
import { testChain } from '../testkit/chain-builder.ts';
import type { EngineDefinition } from './engine.ts';
import { ENGINES, createEngine } from './engine-factory.ts';
import { BftEngine } from './bft/bft-engine.ts';
import { defaultTimeouts } from './bft/timeouts.ts';
import { RoundRobinPoa, poaDefinition } from './poa/round-robin-poa.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ChainError, String(err));
    return `${err.code}: ${err.message}`;
  }
};

describe('engine factory', () => {
  const { genesis } = testChain();

  it('builds PoA for a genesis that names it or names nothing', () => {
    const e = createEngine(genesis);
    assert.ok(e instanceof RoundRobinPoa);
    assert.equal(e.name, 'poa');
    assert.equal(e.finalized(), null);
    const old: Record<string, unknown> = { ...genesis };
    delete old.consensus;
    assert.ok(createEngine(parseGenesis(old)) instanceof RoundRobinPoa);
  });

  it('passes node options through (clock-skew guard)', () => {
    const e = createEngine(genesis, { maxFutureMs: 1234 }) as RoundRobinPoa;
    assert.equal(e.maxFutureMs, 1234);
  });

  it('builds BFT for a genesis that names it, with default or genesis timeouts, validated', () => {
    const bft = createEngine(parseGenesis({ ...genesis, consensus: { engine: 'bft' } }));
    assert.ok(bft instanceof BftEngine);
    assert.equal(bft.name, 'bft');
    assert.deepEqual(bft.timeouts, defaultTimeouts(genesis.blockTimeMs));
    const timeouts = { ...defaultTimeouts(genesis.blockTimeMs), proposeMs: 3000 };
    const tuned = createEngine(parseGenesis({ ...genesis, consensus: { engine: 'bft', timeouts } })) as BftEngine;
    assert.equal(tuned.timeouts.proposeMs, 3000);
    assert.match(
      code(() => createEngine(parseGenesis({ ...genesis, consensus: { engine: 'bft', timeouts: { ...timeouts, proposeMs: 0 } } }))),
      /^GENESIS_INVALID: consensus parameters of engine bft/,
    );
    assert.match(
      code(() => createEngine(parseGenesis({ ...genesis, consensus: { engine: 'bft', rounds: 3 } }))),
      /^GENESIS_INVALID: consensus parameters of engine bft/,
    );
  });

  it('an unknown engine is a startup error naming the engines it knows', () => {
    const msg = code(() => createEngine(parseGenesis({ ...genesis, consensus: { engine: 'pow' } })));
    assert.match(msg, /^GENESIS_ENGINE_UNKNOWN: .*"pow".*known: poa/);
  });

  it("an engine's parameters are checked by its schema", () => {
    assert.match(
      code(() => createEngine(parseGenesis({ ...genesis, consensus: { engine: 'poa', blockTimeMs: 500 } }))),
      /^GENESIS_INVALID: consensus parameters of engine poa/,
    );
    let seen: unknown = null;
    const fake: EngineDefinition<{ rounds: number }> = {
      name: 'fake',
      params: z.object({ rounds: z.number().int() }),
      create: (g, params, opts) => {
        seen = params;
        return poaDefinition.create(g, {}, opts);
      },
    };
    const engines = new Map<string, EngineDefinition<unknown>>([...ENGINES, ['fake', fake as EngineDefinition<unknown>]]);
    createEngine(parseGenesis({ ...genesis, consensus: { engine: 'fake', rounds: 3 } }), {}, engines);
    assert.deepEqual(seen, { rounds: 3 });
    assert.match(
      code(() => createEngine(parseGenesis({ ...genesis, consensus: { engine: 'fake', rounds: 'x' } }), {}, engines)),
      /^GENESIS_INVALID/,
    );
  });
});
