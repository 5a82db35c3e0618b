// Unit: the genesis file names its consensus engine, and naming it changes nothing for PoA:
// a file written before engines were named loads as PoA with the same genesis hash (a node
// restarted on an old data dir resumes its chain), while another engine is another chain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestnetGenesis } from '../testnet/testnet-genesis.ts';
import { genesisBlock, parseGenesis } from './genesis.ts';

// The genesis hash of this testnet as the code before engine names computed it.
const PINNED_HASH = 'c721e3537e971d96cc975c65f1f2f1a411b648c2f52a29f10575c8b80f7ccf1f';
const opts = { validators: 4, blockTimeMs: 1000, seed: 'test', genesisTime: 1_700_000_000_000, accounts: 4, balance: 1000 };

describe('genesis and its consensus engine', () => {
  it('a new genesis names PoA and keeps the genesis hash PoA chains always had', () => {
    const { genesis } = createTestnetGenesis(opts);
    assert.deepEqual(genesis.consensus, { engine: 'poa' });
    assert.equal(genesisBlock(genesis).hash, PINNED_HASH);
  });

  it('a genesis file without an engine (written by older code) loads as PoA, same hash', () => {
    const { genesis } = createTestnetGenesis(opts);
    const oldFile: Record<string, unknown> = { ...genesis };
    delete oldFile.consensus;
    const loaded = parseGenesis(JSON.parse(JSON.stringify(oldFile)));
    assert.deepEqual(loaded.consensus, { engine: 'poa' });
    assert.equal(genesisBlock(loaded).hash, PINNED_HASH);
  });

  it('another engine or engine parameters make another chain', () => {
    const { genesis } = createTestnetGenesis(opts);
    const other = parseGenesis({ ...genesis, consensus: { engine: 'tendermint', timeoutProposeMs: 3000 } });
    assert.deepEqual(other.consensus, { engine: 'tendermint', timeoutProposeMs: 3000 });
    assert.notEqual(genesisBlock(other).hash, PINNED_HASH);
    const poaWithParams = parseGenesis({ ...genesis, consensus: { engine: 'poa', x: 1 } });
    assert.notEqual(genesisBlock(poaWithParams).hash, PINNED_HASH);
  });

  it("the testnet's --consensus option: poa writes the same genesis as before, bft another chain", () => {
    const plain = createTestnetGenesis(opts).genesis;
    const poa = createTestnetGenesis({ ...opts, consensus: 'poa' }).genesis;
    assert.equal(JSON.stringify(poa), JSON.stringify(plain));
    assert.equal(genesisBlock(poa).hash, PINNED_HASH);
    const bft = createTestnetGenesis({ ...opts, consensus: 'bft' }).genesis;
    assert.deepEqual(bft.consensus, { engine: 'bft' });
    assert.notEqual(genesisBlock(bft).hash, PINNED_HASH);
  });

  it('refuses an engine name that is not a name', () => {
    const { genesis } = createTestnetGenesis(opts);
    assert.throws(() => parseGenesis({ ...genesis, consensus: { engine: '' } }), /GENESIS|consensus/);
    assert.throws(() => parseGenesis({ ...genesis, consensus: {} }), /consensus/);
  });
});
