import { deflatedZeros, docxDocument, docxZipBomb, zipArchive } from '@classifyd/testkit';
import { describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { parseDocument } from './parse-document.js';

async function rejection(promise: Promise<unknown>): Promise<DocumentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

const CONTRACT = docxDocument([
  { heading: 'Service Agreement' },
  { paragraph: 'This agreement is made between Acme Ltd and Widget GmbH.' },
  { heading: 'Fees', level: 2 },
  {
    table: [
      ['Item', 'Quantity', 'Price'],
      ['Consulting days', '12', '9600 EUR'],
    ],
  },
  { pageBreak: true },
  { heading: 'Signatures', level: 2 },
  { paragraph: 'Signed in Berlin.' },
]);

describe('parseDocument on DOCX', () => {
  it('reads headings, paragraphs and tables, one page per explicit page break', async () => {
    const parsed = await parseDocument(CONTRACT);
    expect(parsed.format).toBe('docx');
    expect(parsed.pageCount).toBe(2);
    expect(parsed.ocr).toBeNull();
    expect(parsed.pages.map((p) => p.text)).toEqual([
      [
        'Service Agreement',
        '',
        'This agreement is made between Acme Ltd and Widget GmbH.',
        '',
        'Fees',
        '',
        'Item              Quantity   Price',
        'Consulting days   12         9600 EUR',
      ].join('\n'),
      'Signatures\n\nSigned in Berlin.',
    ]);
  });

  it('keeps Word headings as Markdown headings in the markdown field', async () => {
    const parsed = await parseDocument(CONTRACT);
    expect(parsed.pages[0]?.markdown).toMatch(/^# Service Agreement\n/);
    expect(parsed.pages[0]?.markdown).toContain('## Fees');
    expect(parsed.pages[0]?.markdown).toContain('Consulting days   12         9600 EUR');
    expect(parsed.pages[1]?.markdown).toBe('## Signatures\n\nSigned in Berlin.');
  });

  it('applies target_pages to the pages between page breaks', async () => {
    const parsed = await parseDocument(CONTRACT, { targetPages: '2' });
    expect(parsed.pages.map((p) => p.page_number)).toEqual([2]);
    expect(parsed.pages[0]?.text).toContain('Signed in Berlin.');
  });

  it('refuses a DOCX without text as empty', async () => {
    const error = await rejection(parseDocument(docxDocument([{ paragraph: '   ' }])));
    expect(error.reason).toBe('empty');
    expect(error.message).toBe('The DOCX document contains no text; there is nothing to read');
  });

  it('refuses a zip bomb that declares its size, before inflating anything', async () => {
    const error = await rejection(parseDocument(docxZipBomb('declared')));
    expect(error.reason).toBe('too_large');
    expect(error.message).toMatch(/would unpack to 1024 MiB.*zip bomb/);
  });

  it('refuses a zip bomb that understates its size, stopping at the declared size', async () => {
    const error = await rejection(parseDocument(docxZipBomb('understated')));
    expect(error.reason).toBe('too_large');
    expect(error.message).toMatch(/more than the 2048 bytes it declares for word\/styles\.xml/);
  });

  it('refuses a part the relationships name as the document, whatever its name, that unpacks past its size', async () => {
    const rels =
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/body.bin"/></Relationships>';
    const sly = zipArchive([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: '_rels/.rels', data: rels },
      { name: 'word/document.xml', data: '<w:document/>' },
      { name: 'word/body.bin', deflated: deflatedZeros(64), declaredSize: 2048 },
    ]);
    const error = await rejection(parseDocument(sly));
    expect(error.reason).toBe('too_large');
    expect(error.message).toMatch(/more than the 2048 bytes it declares for word\/body\.bin.*zip bomb/);
  });

  it('refuses a DOCX cut off before its ZIP directory as damaged', async () => {
    const error = await rejection(parseDocument(CONTRACT.slice(0, CONTRACT.length - 40)));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/DOCX file is damaged .*check that the upload finished/);
  });

  it('refuses a DOCX whose document part is not XML as damaged', async () => {
    const broken = zipArchive([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: 'this is not XML at all <<<' },
    ]);
    const error = await rejection(parseDocument(broken));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/DOCX file could not be read/);
  });
});
