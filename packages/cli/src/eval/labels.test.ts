import { describe, expect, it } from 'vitest';
import { parseCsv, parseLabels } from './labels.js';

describe('labels.csv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\r\nlast,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['last', ''],
    ]);
  });

  it('takes path, label, format and language by header name', () => {
    const text = [
      'path,label,source_repo,format,language,license_note',
      'docs/dev_0001.html,news_article,o/r,html,de,"repo MIT, test data"',
      'docs/dev_0002.pdf,none,o/r,pdf-scanned,en,x',
    ].join('\n');
    expect(parseLabels(text)).toEqual([
      { path: 'docs/dev_0001.html', label: 'news_article', format: 'html', language: 'de' },
      { path: 'docs/dev_0002.pdf', label: 'none', format: 'pdf-scanned', language: 'en' },
    ]);
  });

  it('names what is missing', () => {
    expect(() => parseLabels('file,kind\na,b')).toThrow(/needs a header row with "path" and "label"/);
    expect(() => parseLabels('path,label\na.pdf,\n')).toThrow(/row 2 has no path or label/);
  });
});
