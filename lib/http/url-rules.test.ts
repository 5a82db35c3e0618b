// The URL rules the router kept from its Hono days, pinned as pure functions: how a request
// target and Host become a URL (request-target.ts), how the path and query are read
// (url-parts.ts), and how paths match the table's `{name}` patterns (path-matcher.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePath, matchPath, pathSegments, routedPath } from './path-matcher.ts';
import { BadTargetError, requestHref } from './request-target.ts';
import { assertWellEncoded, displayPath, parseQuery, urlParts } from './url-parts.ts';

describe('requestHref', () => {
  it('joins a plain target to the Host as it is, and normalises the rest like a URL', () => {
    assert.equal(requestHref('/blocks?limit=5', '127.0.0.1:7001', 'http'), 'http://127.0.0.1:7001/blocks?limit=5');
    assert.equal(requestHref('/a/../health', '127.0.0.1', 'http'), 'http://127.0.0.1/health');
    assert.equal(requestHref('/blocks/a"b', '127.0.0.1', 'http'), 'http://127.0.0.1/blocks/a%22b');
    assert.equal(requestHref('/x', 'Example.COM', 'https'), 'https://example.com/x');
    assert.equal(requestHref('http://other:81/health', undefined, 'http'), 'http://other:81/health');
    assert.equal(requestHref('', 'h', 'http'), 'http://h/');
  });

  it('refuses what forms no URL: no Host, a Host the parser rewrites, a backslash in the path, `*`', () => {
    for (const [target, host] of [
      ['/x', undefined],
      ['/x', 'a@b'],
      ['/x', 'h:99999'],
      ['/health\\x', '127.0.0.1'],
      ['*', '127.0.0.1'],
      ['http://[/x', '127.0.0.1'],
    ] as const) {
      assert.throws(() => requestHref(target, host, 'http'), BadTargetError, `${target} with Host ${host}`);
    }
    assert.equal(requestHref('/health?\\x', '127.0.0.1', 'http'), 'http://127.0.0.1/health?\\x', 'a backslash in the query is left to the query');
  });
});

describe('url parts', () => {
  it('splits path and query; a ? after the # belongs to the fragment', () => {
    assert.deepEqual(urlParts('http://h/a/b?x=1#f'), { path: '/a/b', query: 'x=1' });
    assert.deepEqual(urlParts('http://h/a#f?x=1'), { path: '/a', query: '' });
    assert.deepEqual(urlParts('http://h:80/'), { path: '/', query: '' });
  });

  it('reads the query as Hono did: first value wins, + is a space, a bare key is empty, an empty key is skipped', () => {
    assert.deepEqual({ ...parseQuery('from=1&from=2&limit=3') }, { from: '1', limit: '3' });
    assert.deepEqual({ ...parseQuery('q=a+b%2Bc&flag&=x&&k=1=2') }, { q: 'a b+c', flag: '', k: '1=2' });
  });

  it('malformed %-encoding in the path or a query pair is a 400 BAD_ENCODING; messages name the path decoded as far as it goes', () => {
    for (const href of ['http://h/blocks/%E0', 'http://h/blocks?q=%', 'http://h/x?a=1&b=%zz']) {
      assert.throws(
        () => assertWellEncoded(urlParts(href)),
        (err: { status?: number; code?: string }) => err.status === 400 && err.code === 'BAD_ENCODING',
        href,
      );
    }
    assert.doesNotThrow(() => assertWellEncoded(urlParts('http://h/blocks/%41?q=%20')));
    assert.equal(displayPath('/blocks/a%20b%2Fc/%E0'), '/blocks/a b%2Fc/%E0');
  });
});

describe('path matching', () => {
  const block = compilePath('/blocks/{id}');
  const match = (pattern: ReturnType<typeof compilePath>, path: string) => matchPath(pattern, pathSegments(routedPath(path)));

  it('a {name} segment takes any non-empty segment, still encoded; literals match their decoded form', () => {
    assert.deepEqual(match(block, '/blocks/a%2Fb'), { id: 'a%2Fb' });
    assert.equal(match(block, '/blocks/'), null);
    assert.equal(match(block, '/blocks'), null);
    assert.deepEqual(match(compilePath('/health'), '/heal%74h'), {});
    assert.equal(match(compilePath('/a/b'), '/a%2Fb'), null, 'an encoded slash is not a separator');
  });

  it('one trailing slash is ignored, case is not', () => {
    assert.deepEqual(match(compilePath('/health'), '/health/'), {});
    assert.equal(match(compilePath('/health'), '/health//'), null);
    assert.equal(match(compilePath('/health'), '/Health'), null);
    assert.deepEqual(match(compilePath('/'), '/'), {});
  });

  it('a parameter must fill its whole segment', () => {
    assert.throws(() => compilePath('/blocks/x{id}'), /whole segment/);
  });
});
