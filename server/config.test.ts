// The environment is validated once at the edge: defaults a newcomer gets, the engine choice,
// and a clear error for a bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadServerConfig } from './config.ts';

/** Just the variables given (NodeJS.ProcessEnv declares NODE_ENV as required). */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('server config', () => {
  it('defaults to a 4-node PoA testnet on port 3000', () => {
    const c = loadServerConfig(env({}));
    assert.deepEqual([c.port, c.nodes, c.consensus, c.blockTimeMs], [3000, 4, 'poa', 1000]);
  });

  it('CONSENSUS=bft picks the BFT engine for the local testnet', () => {
    assert.equal(loadServerConfig(env({ CONSENSUS: 'bft' })).consensus, 'bft');
  });

  it('an unknown engine is a ConfigError naming the variable', () => {
    assert.throws(
      () => loadServerConfig(env({ CONSENSUS: 'pow' })),
      (err: unknown) => err instanceof ConfigError && /CONSENSUS/.test(err.message),
    );
  });
});
