import { describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { parseDocument } from './parse-document.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function rejection(promise: Promise<unknown>): Promise<DocumentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

describe('parseDocument on plain text', () => {
  it('reads UTF-8 text as one page and drops the byte-order mark', async () => {
    const parsed = await parseDocument(utf8('\uFEFFDear Sir,\r\nplease find the invoice attached.\r\n'));
    expect(parsed).toEqual({
      format: 'text',
      pageCount: 1,
      ocr: null,
      pages: [
        {
          page_number: 1,
          text: 'Dear Sir,\nplease find the invoice attached.',
          markdown: 'Dear Sir,\nplease find the invoice attached.',
          success: true,
        },
      ],
    });
  });

  it('reads ISO-8859-1 text, which is not valid UTF-8', async () => {
    // "Café crème à 5 €" is not representable in latin1 (the euro sign), so use windows-1252's 0x80.
    const latin1 = new Uint8Array([
      ...utf8('Caf'),
      0xe9,
      ...utf8(' cr'),
      0xe8,
      ...utf8('me '),
      0xe0,
      ...utf8(' 5 '),
      0x80,
    ]);
    const parsed = await parseDocument(latin1);
    expect(parsed.pages[0]?.text).toBe('Café crème à 5 €');
  });

  it('reads UTF-16 text that carries a byte-order mark', async () => {
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...[...'Grüße'].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
    ]);
    const parsed = await parseDocument(utf16);
    expect(parsed.pages[0]?.text).toBe('Grüße');
  });

  it('splits pages on form feeds, without an extra page for a trailing one', async () => {
    const parsed = await parseDocument(utf8('first page\n\fsecond page\n\f\fthird page\n\f'));
    expect(parsed.pageCount).toBe(4);
    expect(parsed.pages.map((p) => [p.page_number, p.text])).toEqual([
      [1, 'first page'],
      [2, 'second page'],
      [3, ''],
      [4, 'third page'],
    ]);
  });

  it('applies target_pages and max_pages to form-feed pages', async () => {
    const text = utf8('one\ftwo\fthree\ffour');
    const targeted = await parseDocument(text, { targetPages: '2,4', maxPages: 1 });
    expect(targeted.pages.map((p) => p.text)).toEqual(['two', 'four']);
    const limited = await parseDocument(text, { maxPages: 3 });
    expect(limited.pages.map((p) => p.text)).toEqual(['one', 'two', 'three']);
  });

  it('refuses a target page beyond the single page of a text file', async () => {
    const error = await rejection(parseDocument(utf8('just one page'), { targetPages: '2' }));
    expect(error.reason).toBe('no_pages_selected');
    expect(error.message).toBe('target_pages "2" selects no page of this 1-page document');
  });

  it('refuses an empty file', async () => {
    const error = await rejection(parseDocument(new Uint8Array()));
    expect(error.reason).toBe('empty');
    expect(error.message).toMatch(/^The file is empty/);
  });

  it('refuses text that is only whitespace', async () => {
    const error = await rejection(parseDocument(utf8(' \n\t\r\n\f  \f\n')));
    expect(error.reason).toBe('empty');
  });

  it('refuses binary content as unsupported, naming a recognised format', async () => {
    const nul = await rejection(parseDocument(utf8('looks like text\u0000\u0000\u0001\u0002 but is not')));
    expect(nul.reason).toBe('unsupported');
    expect(nul.message).toBe(
      'Unsupported document format: only PDF, DOCX, HTML, Markdown, plain text and PNG, JPEG, TIFF or WebP images can be read',
    );
    const rtf = await rejection(parseDocument(utf8('{\\rtf1\\ansi Hello}')));
    expect(rtf.reason).toBe('unsupported');
    expect(rtf.message).toContain('RTF');
  });
});

describe('parseDocument on Markdown', () => {
  const source = [
    '# Service agreement',
    '',
    'Between **Acme GmbH** and [Example Ltd](https://example.com).',
    '',
    '## Fees',
    '',
    '| Item | Price |',
    '|------|------:|',
    '| Support | 100 |',
    '',
    '* monthly invoice',
    '* net 30 days',
    '',
    '```',
    'const total = 100;',
    '```',
  ].join('\n');

  it('keeps the source as markdown and renders plain text without markup', async () => {
    const parsed = await parseDocument(utf8(source));
    expect(parsed.format).toBe('markdown');
    expect(parsed.pages[0]?.markdown).toBe(source);
    expect(parsed.pages[0]?.text).toBe(
      [
        'Service agreement',
        '',
        'Between Acme GmbH and Example Ltd.',
        '',
        'Fees',
        '',
        'Item\tPrice',
        'Support\t100',
        '',
        '- monthly invoice',
        '- net 30 days',
        '',
        'const total = 100;',
      ].join('\n'),
    );
  });
});
