import { encodePng, oversizedImageHeader, textImage, textImageFile, zipArchive } from '@classifyd/testkit';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.js';
import { handMadePdf, onePageObjects, pdfWithPages, pseudoRandomBytes } from './test-support/pdf-fixtures.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe('detectFormat', () => {
  it('recognises a PDF by its header', async () => {
    expect(detectFormat(await pdfWithPages([['Hello']]))).toBe('pdf');
  });

  it('recognises a PDF with junk bytes before its header', async () => {
    const pdf = await pdfWithPages([['Hello']]);
    expect(detectFormat(concat(new Uint8Array([0x00, 0x0d, 0x0a, 0xff, 0x20]), pdf))).toBe('pdf');
  });

  it('reads a PDF whose page text is HTML markup as a PDF', () => {
    const pdf = handMadePdf(onePageObjects('<!DOCTYPE html><html><body># Heading</body></html>'));
    expect(detectFormat(pdf)).toBe('pdf');
  });

  it('reads a text that merely mentions a PDF header as text', () => {
    expect(
      detectFormat(utf8('Notes on file formats.\nA PDF starts with %PDF-1.7 and ends with %%EOF.\n')),
    ).toBe('text');
  });

  it.each([
    [
      'a full document with doctype',
      '<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Hi</p></body></html>',
    ],
    ['a document without doctype', '  \n<html lang="en"><body>Hello</body></html>'],
    [
      'a document after a comment and an XML declaration',
      '<?xml version="1.0"?>\n<!-- saved -->\n<html><body>x</body></html>',
    ],
    ['a body-only fragment', '<body><table><tr><td>1</td></tr></table></body>'],
    ['a fragment of common tags', '<div class="invoice"><p>Total: 10 EUR</p></div>'],
    ['a page that quotes a PDF header in its body', '<html><body><pre>%PDF-1.7\n1 0 obj</pre></body></html>'],
  ])('recognises HTML: %s', (_name, html) => {
    expect(detectFormat(utf8(html))).toBe('html');
  });

  it('recognises Markdown by its headings, lists, links and fences', () => {
    const markdown =
      '# Release notes\n\n- faster parsing\n- see [the docs](https://example.com)\n\n```sh\nnpm i\n```\n';
    expect(detectFormat(utf8(markdown))).toBe('markdown');
  });

  it('reads a README that opens with an HTML paragraph and goes on in Markdown as Markdown', () => {
    const readme = '<p align="center"><img src="logo.png"></p>\n\n# Tool\n\n## Install\n\n- run `make`\n';
    expect(detectFormat(utf8(readme))).toBe('markdown');
  });

  it('reads a plain e-mail with a short list and a quoted reply as text', () => {
    const email =
      'Hi Bob,\n\nTwo things:\n- the invoice\n- the contract\n\n> Can you send them?\n\nThanks, Alice\n';
    expect(detectFormat(utf8(email))).toBe('text');
  });

  it('reads latin1 and UTF-16 text as text', () => {
    expect(detectFormat(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a]))).toBe('text');
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'Hello'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(detectFormat(utf16)).toBe('text');
  });

  it.each([
    ['random bytes', pseudoRandomBytes(4096)],
    ['text with NUL bytes', utf8('abc\u0000\u0000\u0000def')],
    ['a GIF image', utf8('GIF89a\u0001\u0000\u0001\u0000')],
    ['a ZIP archive of other files', zipArchive([{ name: 'notes/readme.txt', data: 'hello' }])],
    ['an Excel workbook', zipArchive([{ name: 'xl/workbook.xml', data: '<workbook/>' }])],
    ['an RTF document', utf8('{\\rtf1\\ansi Hello}')],
    ['an empty file', new Uint8Array()],
  ])('does not claim %s', (_name, bytes) => {
    expect(detectFormat(bytes)).toBeNull();
  });

  it.each(['png', 'jpeg', 'tiff', 'webp'] as const)(
    'recognises a %s image by its signature',
    async (format) => {
      expect(detectFormat(await textImageFile(format, ['Hello']))).toBe(format);
      expect(detectFormat(oversizedImageHeader(format))).toBe(format);
    },
  );

  it('recognises a DOCX by its main part, and a cut-off one by its local header', () => {
    const docx = zipArchive([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(detectFormat(docx)).toBe('docx');
    expect(detectFormat(docx.slice(0, docx.length - 30))).toBe('docx');
  });

  it('reads a text file that happens to start like a PNG name as text', () => {
    expect(detectFormat(utf8('PNG files are images.\n'))).toBe('text');
    expect(detectFormat(encodePng(textImage(['x'])).subarray(1))).toBeNull();
  });
});
