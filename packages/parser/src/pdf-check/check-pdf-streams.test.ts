import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../document-error.js';
import { createParser } from '../parser.js';
import {
  ascii85,
  binaryPdf,
  deflatedTextPdf,
  type Encryption,
  encryptedBinaryPdf,
  flateBombPdf,
  flateZeros,
  lzw,
  onePageWithContent,
  type PdfObjectSpec,
  zlib,
} from '../test-support/stream-fixtures.js';

const MiB = 1024 * 1024;
const BOMB =
  /unpacks to more than 16 MiB, more than can be read safely \(it may be a decompression bomb\); save the PDF again/;

/** Limits small enough that a bomb of a few dozen MiB shows what a 1 GiB one would. */
const parser = createParser({ maxInflatedStreamBytes: 16 * MiB, maxInflatedTotalBytes: 40 * MiB });
afterAll(() => parser.close());

async function refusal(bytes: Uint8Array): Promise<DocumentError> {
  const error = await parser.parse(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

const text = (line: string) => Buffer.from(`BT /F1 12 Tf 72 700 Td (${line}) Tj ET`);
const page = (dict: string, data: Uint8Array) => binaryPdf(onePageWithContent({ dict, data }));
const hex = (bytes: Uint8Array) => new Uint8Array(Buffer.from(`${Buffer.from(bytes).toString('hex')}>`));
const zeros = (mebibytes: number) => new Uint8Array(mebibytes * MiB);

/** Deflate data that holds the word `endstream` before 64 MiB of zeros, so that searching for the end stops early. */
function bombBehindEndstream(): Uint8Array {
  const stored = deflateRawSync(Buffer.from('\nendstream\n'), {
    level: 0,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const bomb = flateZeros(64);
  return new Uint8Array(Buffer.concat([bomb.subarray(0, 2), stored, bomb.subarray(2)]));
}

/** A content stream that paints an inline image whose data is a Flate bomb. */
function inlineImageBomb(): Uint8Array {
  const start = Buffer.from('q 100 0 0 100 72 600 cm BI /W 100 /H 100 /BPC 8 /CS /G /F /Fl ID ');
  return Buffer.concat([start, flateZeros(64), Buffer.from('\nEI Q')]);
}

/** A page that only paints image object 6: no text layer, so OCR draws it. */
function pageDrawingImage(data: Uint8Array): PdfObjectSpec[] {
  const objects = onePageWithContent({ dict: '', data: Buffer.from('q 400 0 0 400 100 200 cm /Im1 Do Q') });
  objects[2] =
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 6 0 R >> >> >>';
  return [
    ...objects,
    {
      dict: '/Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode',
      data,
    },
  ];
}

describe('compressed streams that unpack past the limit', () => {
  it.each<[string, () => Uint8Array]>([
    ['a FlateDecode content stream', () => flateBombPdf(64)],
    ['the /Fl abbreviation', () => page('/Filter /Fl', flateZeros(64))],
    ['a bomb deflated twice', () => page('/Filter [/FlateDecode /FlateDecode]', zlib(flateZeros(64)))],
    ['a bomb written in hex', () => page('/Filter [/ASCIIHexDecode /FlateDecode]', hex(flateZeros(64)))],
    ['an LZW bomb', () => page('/Filter /LZWDecode', lzw(zeros(64)))],
    [
      'a Brotli bomb',
      () =>
        page(
          '/Filter /BrotliDecode',
          brotliCompressSync(zeros(64), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
        ),
    ],
    [
      'a predictor whose rows are far wider than the data',
      () => page('/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 100000000 >>', zlib(text('x'))),
    ],
    [
      'a bomb whose data holds "endstream", its length in another object',
      () => {
        const data = bombBehindEndstream();
        const objects: PdfObjectSpec[] = onePageWithContent({ dict: '/Filter /FlateDecode', data });
        // binaryPdf writes the true /Length; point it at object 6 instead, which holds the same number.
        objects[3] = `<< /Filter /FlateDecode /Length 6 0 R >>\nstream\n${Buffer.from(data).toString('latin1')}\nendstream`;
        return binaryPdf([...objects, String(data.length)]);
      },
    ],
    ['an inline image bomb in a content stream', () => page('/Filter /FlateDecode', zlib(inlineImageBomb()))],
    ['an image bomb on a page drawn for OCR', () => binaryPdf(pageDrawingImage(flateZeros(64)))],
    [
      'a bomb that calls itself an image but is the page content',
      () => page('/Subtype /Image /Width 10 /Height 10 /Filter /FlateDecode', flateZeros(64)),
    ],
  ])('refuses %s with a message a person can act on', async (_name, make) => {
    const error = await refusal(make());
    expect(error.reason).toBe('too_large');
    expect(error.message).toMatch(BOMB);
  });

  it('refuses a PDF whose streams together unpack past the limit for all of them', async () => {
    const streams = [1, 2, 3].map(
      (): PdfObjectSpec => ({ dict: '/Filter /FlateDecode', data: flateZeros(15) }),
    );
    const error = await refusal(
      binaryPdf([...onePageWithContent({ dict: '', data: text('x') }), ...streams]),
    );
    expect(error.message).toMatch(/compressed streams of the PDF unpack to more than 40 MiB in all/);
  });

  it('refuses a 1 GiB bomb under the default limits, then reads an ordinary PDF', async () => {
    const defaults = createParser();
    try {
      const error = await defaults.parse(flateBombPdf(1024)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DocumentError);
      expect((error as DocumentError).message).toMatch(/unpacks to more than 128 MiB.*decompression bomb/);
      const parsed = await defaults.parse(deflatedTextPdf('Invoice 2291, due in thirty days'));
      expect(parsed.pages[0]?.text).toBe('Invoice 2291, due in thirty days');
    } finally {
      await defaults.close();
    }
  });
});

describe('encrypted PDFs that open without a password', () => {
  it.each<Encryption>(['RC4', 'AESV2', 'AESV3'])(
    'reads one encrypted with %s, and refuses a bomb in one',
    async (method) => {
      const letter = encryptedBinaryPdf(
        onePageWithContent({
          dict: '/Filter /FlateDecode',
          data: zlib(text('Salaries for the second quarter')),
        }),
        method,
      );
      expect((await parser.parse(letter)).pages[0]?.text).toBe('Salaries for the second quarter');
      const bomb = encryptedBinaryPdf(
        onePageWithContent({ dict: '/Filter /FlateDecode', data: flateZeros(64) }),
        method,
      );
      expect((await refusal(bomb)).message).toMatch(BOMB);
    },
  );
});

describe('streams that are not bombs', () => {
  it('reads text from LZW and ASCII85-wrapped content streams', async () => {
    const viaLzw = page('/Filter /LZWDecode', lzw(text('Delivery note 4410, two pallets')));
    const viaA85 = page(
      '/Filter [/ASCII85Decode /FlateDecode]',
      ascii85(zlib(text('Minutes of the board meeting'))),
    );
    expect((await parser.parse(viaLzw)).pages[0]?.text).toBe('Delivery note 4410, two pallets');
    expect((await parser.parse(viaA85)).pages[0]?.text).toBe('Minutes of the board meeting');
  });

  it('still reads a PDF when one of its streams is damaged', async () => {
    const objects = onePageWithContent({
      dict: '/Filter /FlateDecode',
      data: zlib(text('The first page reads fine')),
    });
    // Page 2's content: a zlib header, then a block of the reserved type 3, which zlib refuses.
    objects[1] = '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>';
    const secondPage =
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R /Resources << /Font << /F1 5 0 R >> >> >>';
    const damaged = {
      dict: '/Filter /FlateDecode',
      data: Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0x00, 0x01]),
    };
    const parsed = await parser.parse(binaryPdf([...objects, secondPage, damaged]), { maxPages: 2 });
    expect(parsed.pageCount).toBe(2);
    expect(parsed.pages[0]?.text).toBe('The first page reads fine');
  });

  it('reads a stream that unpacks to just under the limit', async () => {
    const padded = Buffer.concat([text('A large but legitimate page of text'), Buffer.alloc(15 * MiB, 0x20)]);
    expect((await parser.parse(page('/Filter /FlateDecode', zlib(padded)))).pages[0]?.text).toBe(
      'A large but legitimate page of text',
    );
  });
});
