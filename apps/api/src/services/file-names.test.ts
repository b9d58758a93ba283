import { describe, expect, it } from 'vitest';
import { downloadName, storedName } from './file-names.js';

describe('file names', () => {
  it('cuts a long name between characters, never inside an emoji', () => {
    const name = `${'a'.repeat(2999)}😀😀`;
    expect(storedName(name)).toBe(`${'a'.repeat(2999)}😀`);
    expect(() => encodeURIComponent(storedName(name))).not.toThrow();
  });

  it('replaces half a character already in a name', () => {
    expect(storedName('a\uD83Db.txt')).toBe('a\uFFFDb.txt');
    expect(() => encodeURIComponent(downloadName('a\uDE00.txt'))).not.toThrow();
  });

  it('keeps a download name short enough for a header, with its extension', () => {
    const name = downloadName(`${'é'.repeat(3000)}.pdf`);
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(downloadName('résumé.pdf')).toBe('résumé.pdf');
  });
});
