import { encodeTiff, textImage, textImageFile } from '@classifyd/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { createParser } from './parser.js';

const parser = createParser();
afterAll(() => parser.close());

const INVOICE = ['Invoice number 4711', 'Total due: 320.70 EUR', 'Payment within 30 days'];

async function rejection(promise: Promise<unknown>): Promise<DocumentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

/** A two-page TIFF whose second page declares a compression scheme no reader knows. */
function tiffWithBrokenSecondPage(): Uint8Array {
  const tiff = encodeTiff([textImage(['First page reads fine']), textImage(['Second page'])]);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const first = view.getUint32(4, true);
  const second = view.getUint32(first + 2 + view.getUint16(first, true) * 12, true);
  // The fourth entry of each directory is Compression (tag 259).
  view.setUint16(second + 2 + 3 * 12 + 8, 0x7777, true);
  return tiff;
}

describe('parseDocument on images (OCR)', () => {
  it.each(['png', 'jpeg', 'webp', 'tiff'] as const)('reads the words of a %s image', async (format) => {
    const parsed = await parser.parse(await textImageFile(format, INVOICE));
    expect(parsed.format).toBe(format);
    expect(parsed.pageCount).toBe(1);
    const [page] = parsed.pages;
    expect(page).toMatchObject({ page_number: 1, success: true });
    for (const words of ['Invoice number 4711', 'Total due', '320.70', 'Payment within 30 days']) {
      expect(page?.text).toContain(words);
    }
    expect(page?.markdown).toBe(page?.text);
    expect(parsed.ocr).toMatchObject({ language: 'eng', pages: [1] });
  });

  it('reads every page of a multi-page TIFF, and only those target_pages selects', async () => {
    const tiff = encodeTiff([
      textImage(['Delivery note 1001']),
      textImage(['Packing list for order 77']),
      textImage(['Signed by the receiver']),
    ]);
    const all = await parser.parse(tiff);
    expect(all.pageCount).toBe(3);
    expect(all.pages.map((p) => p.text)).toEqual([
      'Delivery note 1001',
      'Packing list for order 77',
      'Signed by the receiver',
    ]);
    const some = await parser.parse(tiff, { targetPages: '2-3' });
    expect(some.pages.map((p) => p.page_number)).toEqual([2, 3]);
    expect(some.ocr?.pages).toEqual([2, 3]);
    expect(some.pages[0]?.text).toBe('Packing list for order 77');
  });

  it('reads accented words with the language lang names', async () => {
    const image = await textImageFile('png', ['Die Größe der Straße', 'Grüße aus München']);
    const german = await parser.parse(image, { lang: 'de' });
    expect(german.ocr?.language).toBe('deu');
    expect(german.pages[0]?.text).toBe('Die Größe der Straße\nGrüße aus München');
    const spanish = await parser.parse(await textImageFile('png', ['¿Dónde está la factura?']), {
      lang: 'es',
    });
    expect(spanish.pages[0]?.text).toBe('¿Dónde está la factura?');
  });

  it('reads an unsupported language with the English model instead of failing', async () => {
    const parsed = await parser.parse(await textImageFile('png', ['Fattura numero 12']), { lang: 'it' });
    expect(parsed.ocr?.language).toBe('eng');
    expect(parsed.pages[0]?.text).toBe('Fattura numero 12');
  });

  it('marks a page whose image cannot be decoded as failed and still returns the others', async () => {
    const parsed = await parser.parse(tiffWithBrokenSecondPage());
    expect(parsed.pages[0]).toMatchObject({ page_number: 1, success: true, text: 'First page reads fine' });
    expect(parsed.pages[1]).toMatchObject({ page_number: 2, success: false, text: '', markdown: '' });
    expect(parsed.pages[1]?.error).toMatch(/could not read the image of this page/);
  });

  it('fails the document, with a message to act on, when OCR fails on every selected page', async () => {
    const error = await rejection(parser.parse(tiffWithBrokenSecondPage(), { targetPages: '2' }));
    expect(error.reason).toBe('ocr_failed');
    expect(error.message).toMatch(/failed on every selected page.*Scan or export the document again/);
  });

  it('refuses a PNG whose header is cut off as damaged', async () => {
    const png = await textImageFile('png', ['x']);
    const error = await rejection(parser.parse(png.slice(0, 16)));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/PNG image is damaged or incomplete/);
  });

  it('stops with the signal reason when the parse is cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    controller.abort(reason);
    await expect(
      parser.parse(await textImageFile('png', INVOICE), { signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});
