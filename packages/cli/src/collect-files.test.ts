import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles } from './collect-files.js';

describe('collecting files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'classifyd-cli-files-'));
    for (const name of ['b.txt', 'a.pdf', '.hidden.txt', 'sub/c.txt', 'sub/.secret/d.txt', '.git/e.txt']) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), 'x');
    }
    mkdirSync(join(dir, 'sub', 'only-hidden'));
    writeFileSync(join(dir, 'sub', 'only-hidden', '.x'), 'x');
    symlinkSync(dir, join(dir, 'sub', 'loop'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the visible files of a folder, sorted, without sub-folders', async () => {
    expect(await collectFiles([dir], false)).toEqual([join(dir, 'a.pdf'), join(dir, 'b.txt')]);
  });

  it('descends with recursive, skipping hidden files and folders and not following folder links', async () => {
    expect(await collectFiles([dir], true)).toEqual([
      join(dir, 'a.pdf'),
      join(dir, 'b.txt'),
      join(dir, 'sub', 'c.txt'),
    ]);
  });

  it('keeps a file named explicitly, even a hidden one, and lists each path once', async () => {
    const hidden = join(dir, '.hidden.txt');
    expect(await collectFiles([hidden, dir, hidden], false)).toEqual([
      hidden,
      join(dir, 'a.pdf'),
      join(dir, 'b.txt'),
    ]);
  });

  it('names a path that does not exist, and an input with nothing to classify', async () => {
    await expect(collectFiles([join(dir, 'nope.pdf')], false)).rejects.toThrow(/nope\.pdf" does not exist/);
    await expect(collectFiles([join(dir, 'sub', 'only-hidden')], false)).rejects.toThrow(
      /no files to classify .*--recursive/,
    );
  });
});
