// ATTACH entries: full URLs, health+ URLs with default and custom JSON paths, the id derived
// from the URL, and errors that name the entry and its bad part.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { healthOnlyId, parseAttachEntry, parseAttachList, readHealthHead, type AttachEntry } from './health-target.ts';
import { ConfigError, loadServerConfig } from '../config.ts';

function healthOnly(entry: string) {
  const parsed = parseAttachEntry(entry);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const value: AttachEntry = parsed.value;
  assert.equal(value.kind, 'health-only');
  return value.kind === 'health-only' ? value.target : assert.fail('not health-only');
}

function errorOf(entry: string): string {
  const parsed = parseAttachEntry(entry);
  assert.ok(!parsed.ok, `${entry} should be refused`);
  return parsed.error;
}

describe('ATTACH entries', () => {
  it('a plain URL is a full node; health+ reads GET /health at .blockchain.height and .blockchain.latest_block_hash by default', () => {
    assert.deepEqual(parseAttachEntry('http://10.0.0.5:7001'), { ok: true, value: { kind: 'full', url: 'http://10.0.0.5:7001' } });
    const t = healthOnly('health+http://10.0.0.6:7001');
    assert.deepEqual(t, {
      url: 'http://10.0.0.6:7001',
      healthUrl: 'http://10.0.0.6:7001/health',
      id: healthOnlyId('http://10.0.0.6:7001'),
      name: '10.0.0.6:7001',
      heightPath: ['blockchain', 'height'],
      hashPath: ['blockchain', 'latest_block_hash'],
    });
  });

  it('a URL with a path is read as is; the fragment sets the paths (a leading dot allowed) and the name', () => {
    const t = healthOnly('health+https://rpc.example/status#height=.result.sync_info.latest_block_height&hash=result.sync_info.latest_block_hash&name=rpc-1');
    assert.equal(t.healthUrl, 'https://rpc.example/status');
    assert.equal(t.url, 'https://rpc.example/status');
    assert.deepEqual([t.name, t.heightPath, t.hashPath], ['rpc-1', ['result', 'sync_info', 'latest_block_height'], ['result', 'sync_info', 'latest_block_hash']]);
  });

  it('the id is derived from the URL only: stable, distinct per URL, unchanged by the paths or the name', () => {
    const a = healthOnly('health+http://127.0.0.1:7001');
    const b = healthOnly('health+http://127.0.0.1:7001/#height=x.h&name=other');
    const c = healthOnly('health+http://127.0.0.1:7002');
    assert.match(a.id, /^health-[0-9a-f]{12}$/);
    assert.equal(a.id, b.id);
    assert.notEqual(a.id, c.id);
  });

  it('bad entries are refused with the part that is wrong', () => {
    assert.match(errorOf('health+not a url'), /is not a URL/);
    assert.match(errorOf('health+ftp://x:1'), /scheme must be http or https \(got ftp\)/);
    assert.match(errorOf('health+http://x:1#heigth=a.b'), /unknown key "heigth" in the #fragment/);
    assert.match(errorOf('health+http://x:1#hash=a..b'), /hash: JSON path "a..b" has an invalid segment ""/);
    assert.match(errorOf('health+http://x:1#height=a.b c'), /height: JSON path "a.b c" has an invalid segment "b c"/);
    assert.match(errorOf('http://x:1#height=a'), /only means something on a health\+ URL/);
    const list = parseAttachList(['http://x:1', 'health+http://x:1/']);
    assert.deepEqual(list, { ok: false, error: 'entry 2: http://x:1 is listed twice' });
  });

  it('the config splits ATTACH into full and health-only nodes, and names the bad entry in a ConfigError', () => {
    const c = loadServerConfig({ NODE_ENV: 'test', ATTACH: 'http://a:1, health+http://b:2#height=result.h&hash=result.hash' });
    assert.deepEqual(c.attach, ['http://a:1']);
    assert.deepEqual(
      c.attachHealthOnly.map((t) => [t.url, t.heightPath, t.hashPath]),
      [['http://b:2', ['result', 'h'], ['result', 'hash']]],
    );
    // Only health-only nodes: still an attached network (an empty full list), never a local testnet.
    assert.deepEqual(loadServerConfig({ NODE_ENV: 'test', ATTACH: 'health+http://b:2' }).attach, []);
    assert.equal(loadServerConfig({ NODE_ENV: 'test', ATTACH: '' }).attach, undefined);
    assert.throws(
      () => loadServerConfig({ NODE_ENV: 'test', ATTACH: 'http://a:1,health+http://b:2#height=' }),
      (err: unknown) => err instanceof ConfigError && /ATTACH: entry 2: .*height: the JSON path is empty/.test(err.message),
    );
  });
});

describe('reading the head from a health JSON', () => {
  const paths = { heightPath: ['result', 'h'], hashPath: ['result', 'hash'] };

  it('reads a number or a decimal string as the height', () => {
    assert.deepEqual(readHealthHead({ result: { h: 5, hash: 'ab12' } }, paths), { ok: true, value: { height: 5, hash: 'ab12' } });
    assert.deepEqual(readHealthHead({ result: { h: '1234', hash: 'ab12' } }, paths), { ok: true, value: { height: 1234, hash: 'ab12' } });
  });

  it('names the path and what it found when the answer does not fit', () => {
    assert.deepEqual(readHealthHead({ blockchain: { height: 5 } }, paths), { ok: false, error: 'no value at .result.h' });
    assert.deepEqual(readHealthHead({ result: { h: -1, hash: 'a' } }, paths), { ok: false, error: '.result.h is not a height (a whole number ≥ 0): -1' });
    assert.deepEqual(readHealthHead({ result: { h: '1.5', hash: 'a' } }, paths), { ok: false, error: '.result.h is not a height (a whole number ≥ 0): "1.5"' });
    assert.deepEqual(readHealthHead({ result: { h: 1, hash: 7 } }, paths), { ok: false, error: '.result.hash is not a block hash (a string of 1 to 256 characters): 7' });
    assert.deepEqual(readHealthHead({ result: { h: 1 } }, paths), { ok: false, error: 'no value at .result.hash' });
  });

  it('follows own keys only (a path never reaches the prototype) and indexes arrays by number', () => {
    assert.equal(readHealthHead({}, { heightPath: ['constructor'], hashPath: ['x'] }).ok, false);
    assert.deepEqual(readHealthHead({ nodes: [{ h: 3, id: 'c3' }] }, { heightPath: ['nodes', '0', 'h'], hashPath: ['nodes', '0', 'id'] }), {
      ok: true,
      value: { height: 3, hash: 'c3' },
    });
  });
});
