import { describe, expect, it } from 'vitest';
import { parseDocument } from './parse-document.js';
import { pdfWithPages } from './test-support/pdf-fixtures.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseDocument', () => {
  it.each([
    ['text', async () => utf8('plain words')],
    ['markdown', async () => utf8('# Title\n\n- a\n- b\n')],
    ['html', async () => utf8('<html><body><p>Hello</p></body></html>')],
    ['pdf', () => pdfWithPages([['Hello']])],
  ])('rejects with the reason of an already aborted signal (%s)', async (_format, make) => {
    const bytes = await make();
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    controller.abort(reason);
    await expect(parseDocument(bytes, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('reads each format whatever the lang option says', async () => {
    const parsed = await parseDocument(utf8('Rechnung Nr. 5'), { lang: 'de' });
    expect(parsed.pages[0]?.text).toBe('Rechnung Nr. 5');
  });

  it('treats a non-positive max_pages as a caller bug, not a document problem', async () => {
    await expect(parseDocument(utf8('words'), { maxPages: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
