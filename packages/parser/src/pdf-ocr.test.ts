import { deflateSync } from 'node:zlib';
import { pdfDocument, scannedPdf, textImage } from '@classifyd/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from './document-error.js';
import { createParser } from './parser.js';
import { jbig2Pdf } from './test-support/jbig2-fixture.js';
import { handMadePdf, onePageObjects } from './test-support/pdf-fixtures.js';

const parser = createParser();
afterAll(() => parser.close());

const LETTER = ['Dear Mr Smith,', 'your order 5521 has been shipped.', 'Kind regards, Jane'];

/** One page drawing one image; `data` must be latin1 text so that handMadePdf can write it. */
function pdfWithImage(size: number, filter: string, data: string): Uint8Array {
  const objects = onePageObjects('x');
  objects[2] =
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>';
  const draw = 'q 400 0 0 400 100 200 cm /Im1 Do Q';
  objects[3] = `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`;
  objects[4] = `<< /Type /XObject /Subtype /Image /Width ${size} /Height ${size} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /${filter} /Length ${data.length} >>\nstream\n${data}\nendstream`;
  return handMadePdf(objects);
}

/** A JPEG 2000 image, which the PDF.js build inside unpdf cannot decode. */
const pdfWithJpxImage = () => pdfWithImage(100, 'JPXDecode', 'not really a JPEG 2000 codestream');

describe('parseDocument on scanned PDFs (OCR)', () => {
  it('reads the words of every scanned page', async () => {
    const parsed = await parser.parse(await scannedPdf([LETTER, ['Delivery note 99']]));
    expect(parsed.format).toBe('pdf');
    expect(parsed.pages.map((p) => p.text)).toEqual([LETTER.join('\n'), 'Delivery note 99']);
    expect(parsed.pages.every((p) => p.success && p.markdown === p.text)).toBe(true);
    expect(parsed.ocr).toMatchObject({ language: 'eng', pages: [1, 2] });
  });

  it('runs OCR only on the selected pages that lack a text layer', async () => {
    const pdf = await pdfDocument([
      { text: ['This page has a real text layer with many words'] },
      { scan: LETTER, encoding: 'jpeg' },
      { scan: ['A third page, scanned'] },
    ]);
    const parsed = await parser.parse(pdf, { targetPages: '1-2' });
    expect(parsed.pages.map((p) => p.text)).toEqual([
      'This page has a real text layer with many words',
      LETTER.join('\n'),
    ]);
    expect(parsed.ocr?.pages).toEqual([2]);
  });

  it('gives no OCR summary for a PDF whose pages all have a text layer', async () => {
    const parsed = await parser.parse(
      await pdfDocument([{ text: ['Only text here, more than twenty characters'] }]),
    );
    expect(parsed.ocr).toBeNull();
  });

  it('prefers the OCR text on a page whose short text layer sits on a scan', async () => {
    const pdf = await pdfDocument([{ scan: ['Purchase order 8812', 'Deliver to Hamburg'], caption: 'p. 1' }]);
    const parsed = await parser.parse(pdf);
    expect(parsed.ocr?.pages).toEqual([1]);
    expect(parsed.pages[0]?.text).toContain('Purchase order 8812\nDeliver to Hamburg');
  });

  it('reads a scanned page whose image is JBIG2-encoded', async () => {
    // unpdf's PDF.js draws such a page blank; the pdfjs-dist fallback decodes it.
    const parsed = await parser.parse(await jbig2Pdf(textImage(LETTER)));
    expect(parsed.pages).toEqual([
      { page_number: 1, text: LETTER.join('\n'), markdown: LETTER.join('\n'), success: true },
    ]);
    expect(parsed.ocr?.pages).toEqual([1]);
  });

  it('fails a page holding an image it cannot decode, naming the likely encoding', async () => {
    const error = await parser.parse(pdfWithJpxImage()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).reason).toBe('ocr_failed');
    expect((error as DocumentError).message).toMatch(/image data cannot be decoded \(damaged/);
  });

  it('drops an image declaring 20000 x 20000 pixels instead of decoding 400 MB, leaving a blank page', async () => {
    // pdf.js removes images past maxImagePixels before decoding them; decoded, these zeros would be black.
    const zeros = deflateSync(Buffer.alloc(64 * 1024)).toString('latin1');
    const parsed = await parser.parse(pdfWithImage(20_000, 'FlateDecode', zeros));
    expect(parsed.pages).toEqual([{ page_number: 1, text: '', markdown: '', success: true }]);
  });

  it('stops OCR when the signal aborts, rejecting with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const parsing = parser.parse(await scannedPdf([LETTER, LETTER, LETTER]), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(parsing).rejects.toBe(reason);
  });
});
