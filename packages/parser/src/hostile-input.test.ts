import {
  docxZipBomb,
  encryptedPdf,
  oversizedImageHeader,
  textImageFile,
  truncatedPdf,
  zipArchive,
} from '@classifyd/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorReason } from './document-error.js';
import { createParser } from './parser.js';
import { pseudoRandomBytes } from './test-support/pdf-fixtures.js';

const parser = createParser();
afterAll(() => parser.close());

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const OLE_HEADER = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** What Word saves for a password-protected document: a compound file with an EncryptedPackage stream. */
const encryptedWordFile = () =>
  concat(OLE_HEADER, new Uint8Array(504), new Uint8Array(Buffer.from('EncryptedPackage', 'utf16le')));

/** A TIFF whose directory gives its width and height twice: 20000 x 20000 first, 10 x 10 after. */
function tiffWithRepeatedSize(): Uint8Array {
  const entries: [number, number][] = [
    [256, 20_000],
    [256, 10],
    [257, 20_000],
    [257, 10],
  ];
  const tiff = Buffer.alloc(8 + 2 + entries.length * 12 + 4);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, value], i) => {
    const at = 10 + i * 12;
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(4, at + 2); // LONG
    tiff.writeUInt32LE(1, at + 4);
    tiff.writeUInt32LE(value, at + 8);
  });
  return new Uint8Array(tiff);
}

const CASES: [string, () => Promise<Uint8Array> | Uint8Array, DocumentErrorReason, RegExp][] = [
  ['an empty file', () => new Uint8Array(), 'empty', /The file is empty/],
  [
    'a truncated PDF',
    () => truncatedPdf(),
    'corrupt',
    /damaged or incomplete.*check that the upload finished/,
  ],
  ['a password-protected PDF', encryptedPdf, 'encrypted', /encrypted; upload a copy without a password/],
  ['random bytes (named .pdf by the user)', () => pseudoRandomBytes(64 * 1024), 'unsupported', /Unsupported/],
  [
    'random bytes behind a PDF header',
    () => concat(latin1('%PDF-1.7\n'), pseudoRandomBytes(8192)),
    'corrupt',
    /PDF/,
  ],
  ['a DOCX zip bomb declaring 1 GiB', () => docxZipBomb('declared'), 'too_large', /zip bomb/],
  ['a DOCX zip bomb declaring 2 KB', () => docxZipBomb('understated'), 'too_large', /zip bomb/],
  [
    'a 20000 x 20000 PNG',
    () => oversizedImageHeader('png'),
    'too_large',
    /20000 x 20000 pixels.*scale it down/,
  ],
  ['a 20000 x 20000 JPEG', () => oversizedImageHeader('jpeg'), 'too_large', /400 megapixels/],
  ['a 20000 x 20000 TIFF', () => oversizedImageHeader('tiff'), 'too_large', /400 megapixels/],
  ['a 20000 x 20000 WebP', () => oversizedImageHeader('webp'), 'too_large', /400 megapixels/],
  // libtiff reads the first of a repeated tag, so the first is the size that counts.
  ['a TIFF that repeats its size tags, smallest last', tiffWithRepeatedSize, 'too_large', /400 megapixels/],
  [
    'a legacy .doc',
    () => concat(OLE_HEADER, new Uint8Array(1024)),
    'unsupported',
    /legacy Office.*save it as DOCX/,
  ],
  ['a password-protected Word file', encryptedWordFile, 'encrypted', /password-protected Office file/],
  ['a ZIP archive', () => zipArchive([{ name: 'a.txt', data: 'hi' }]), 'unsupported', /ZIP archive/],
  ['an Excel workbook', () => zipArchive([{ name: 'xl/workbook.xml', data: '<w/>' }]), 'unsupported', /XLSX/],
  ['a GIF image', () => concat(latin1('GIF89a'), new Uint8Array(64)), 'unsupported', /GIF image; convert it/],
  ['a BigTIFF image', () => new Uint8Array([0x49, 0x49, 0x2b, 0, 8, 0, 0, 0]), 'unsupported', /BigTIFF/],
];

describe('hostile and unreadable input', () => {
  it.each(CASES)('refuses %s with a message a person can act on', async (_name, make, reason, message) => {
    const error = await parser.parse(await make()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe(reason);
    expect((error as DocumentError).message).toMatch(message);
  });

  it('honours a lower image limit set on the parser', async () => {
    const small = createParser({ maxImagePixels: 10_000 });
    try {
      const error = await small
        .parse(await textImageFile('png', ['Too big for this parser']))
        .catch((e) => e);
      expect(error).toBeInstanceOf(DocumentError);
      expect(error.reason).toBe('too_large');
    } finally {
      await small.close();
    }
  });

  it('honours lower DOCX limits set on the parser', async () => {
    const strict = createParser({ docxLimits: { maxXmlBytes: 100 } });
    try {
      const docx = zipArchive([
        { name: 'word/document.xml', data: `<w:document>${'x'.repeat(500)}</w:document>` },
      ]);
      const error = await strict.parse(docx).catch((e) => e);
      expect(error.reason).toBe('too_large');
      expect(error.message).toMatch(/holds 525 bytes of XML, more than the 100 bytes limit/);
    } finally {
      await strict.close();
    }
  });
});
