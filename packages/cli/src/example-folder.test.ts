import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExampleFolder } from './example-folder.js';

describe('an examples folder', () => {
  let dir: string;
  const folder = (name: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, path, '..'), { recursive: true });
      writeFileSync(join(dir, name, path), text);
    }
    return join(dir, name);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'classifyd-cli-examples-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads labels.csv: paths relative to the folder, none as a negative example (type null)', async () => {
    const csv = 'path,label,format\ndocs/a.txt,invoice,text\n"docs/b, c.txt",none,text\nd.pdf,recipe,pdf\n';
    const root = folder('csv', { 'labels.csv': csv, 'docs/a.txt': 'a', 'docs/b, c.txt': 'b', 'd.pdf': 'd' });
    expect(await readExampleFolder(root)).toEqual([
      { path: join(root, 'docs/a.txt'), name: 'docs/a.txt', type: 'invoice' },
      { path: join(root, 'docs/b, c.txt'), name: 'docs/b, c.txt', type: null },
      { path: join(root, 'd.pdf'), name: 'd.pdf', type: 'recipe' },
    ]);
  });

  it('reads one sub-folder per type, none for negatives, skipping hidden files and folders', async () => {
    const root = folder('subfolders', {
      'recipe/soup.md': 's',
      'invoice/b.txt': 'b',
      'invoice/a.pdf': 'a',
      'invoice/.DS_Store': 'x',
      'none/cat.txt': 'c',
      '.git/config': 'x',
      'stray.txt': 'not in a type folder',
    });
    expect(await readExampleFolder(root)).toEqual([
      { path: join(root, 'invoice/a.pdf'), name: 'invoice/a.pdf', type: 'invoice' },
      { path: join(root, 'invoice/b.txt'), name: 'invoice/b.txt', type: 'invoice' },
      { path: join(root, 'none/cat.txt'), name: 'none/cat.txt', type: null },
      { path: join(root, 'recipe/soup.md'), name: 'recipe/soup.md', type: 'recipe' },
    ]);
  });

  it('names the problem before anything is sent: a missing file, a bad labels.csv, no examples', async () => {
    const missing = folder('missing', {
      'labels.csv': 'path,label\na.txt,invoice\nnope.txt,invoice\n',
      'a.txt': 'a',
    });
    await expect(readExampleFolder(missing)).rejects.toThrow(
      /labels\.csv row 3: "nope\.txt" is not a file in/,
    );
    const header = folder('header', { 'labels.csv': 'file,kind\na.txt,invoice\n', 'a.txt': 'a' });
    await expect(readExampleFolder(header)).rejects.toThrow(/needs a header row with "path" and "label"/);
    const empty = folder('empty', { 'stray.txt': 'x' });
    await expect(readExampleFolder(empty)).rejects.toThrow(
      /no examples in .*labels\.csv \(path,label\) or one sub-folder per type/,
    );
    await expect(readExampleFolder(join(dir, 'absent'))).rejects.toThrow(/is not a folder/);
  });
});
