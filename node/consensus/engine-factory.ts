// Builds the consensus engine a genesis file names (`consensus: { engine, ...params }`; a
// genesis without it is PoA). Adding an engine: write its EngineDefinition, add it to ENGINES,
// and run the compliance suite against it (compliance/engine-compliance.ts).
import { z } from 'zod';
import { ChainError } from '../chain/errors.ts';
import type { Genesis } from '../chain/genesis.ts';
import type { ConsensusEngine, EngineDefinition, EngineOptions } from './engine.ts';
import { bftDefinition } from './bft/bft-engine.ts';
import { poaDefinition } from './poa/round-robin-poa.ts';

export const ENGINES: ReadonlyMap<string, EngineDefinition<unknown>> = new Map<string, EngineDefinition<unknown>>([
  [poaDefinition.name, poaDefinition],
  [bftDefinition.name, bftDefinition as EngineDefinition<unknown>],
]);

export function createEngine(genesis: Genesis, opts: EngineOptions = {}, engines: ReadonlyMap<string, EngineDefinition<unknown>> = ENGINES): ConsensusEngine {
  const { engine: name, ...rawParams } = genesis.consensus;
  const def = engines.get(name);
  if (!def) {
    throw new ChainError(
      'GENESIS_ENGINE_UNKNOWN',
      `genesis names consensus engine ${JSON.stringify(name)}, which this node does not know (known: ${[...engines.keys()].join(', ')})`,
    );
  }
  const params = def.params.safeParse(rawParams);
  if (!params.success) throw new ChainError('GENESIS_INVALID', `consensus parameters of engine ${name}: ${z.prettifyError(params.error)}`);
  return def.create(genesis, params.data, opts);
}
