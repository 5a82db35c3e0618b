// No build runs old code: the source hash that names the node bundle and stamps dist/ and the
// explorer's .next/ changes with any built file's content or name, and not with a test file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sourceHash } from './source-hash.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'source-hash-'));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};
const hash = () => sourceHash(root, ['src'], ['package.json']);

describe('sourceHash', () => {
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('changes with a source edit, a new or renamed file and package.json; not with a test file', () => {
    write('src/a.ts', 'export const a = 1;\n');
    write('src/deep/b.ts', 'export const b = 2;\n');
    write('package.json', '{"name":"x"}\n');
    const first = hash();
    assert.equal(hash(), first, 'the same sources hash the same');

    write('src/deep/b.ts', 'export const b = 3;\n');
    const edited = hash();
    assert.notEqual(edited, first, 'an edit');

    write('src/deep/b.test.ts', 'test\n');
    write('src/deep/c.test.tsx', 'test\n');
    assert.equal(hash(), edited, 'a test file is not built');

    fs.renameSync(path.join(root, 'src/a.ts'), path.join(root, 'src/c.ts'));
    const renamed = hash();
    assert.notEqual(renamed, edited, 'a rename');

    write('src/d.ts', '');
    assert.notEqual(hash(), renamed, 'a new, empty file');

    const before = hash();
    write('package.json', '{"name":"y"}\n');
    assert.notEqual(hash(), before, 'package.json (dependency versions)');
  });

  it('counts a directory or file that does not exist as empty', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'source-hash-bare-'));
    try {
      assert.equal(sourceHash(bare, ['app', 'lib'], ['next.config.js']), sourceHash(bare, [], []));
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
