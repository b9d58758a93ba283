import { encryptedPdf, handMadePdf, onePageObjects } from '@classifyd/testkit';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF with one page per entry; each page shows its lines top to bottom in Helvetica. */
export async function pdfWithPages(pages: readonly (readonly string[])[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([400, 500]);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 40, y: 450 - i * 20, size: 12, font });
    });
  }
  return document.save();
}

/** The text of page `n` of `numberedPdf`: long enough to count as a text layer, not a scan. */
export const numberedPageText = (n: number) => `Page ${n} of the numbered document`;

/** A PDF of `count` pages, each reading `numberedPageText(n)`. */
export function numberedPdf(count: number): Promise<Uint8Array> {
  return pdfWithPages(Array.from({ length: count }, (_, i) => [numberedPageText(i + 1)]));
}

export { encryptedPdf, handMadePdf, onePageObjects };

/** Two pages; the second page-tree entry is a number, not a page, so only page 1 can be read. */
export function pdfWithBrokenSecondPage(text: string): Uint8Array {
  const objects = onePageObjects(text);
  objects[1] = '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>';
  return handMadePdf([...objects, '42']);
}

/** Two page-tree entries, neither of them a page. */
export function pdfWithNoReadablePage(): Uint8Array {
  const objects = onePageObjects('unused');
  objects[1] = '<< /Type /Pages /Kids [6 0 R 7 0 R] /Count 2 >>';
  return handMadePdf([...objects, '42', '(not a page)']);
}

export function pdfWithoutPages(): Uint8Array {
  return handMadePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}

/** One page with a drawn rectangle and no text layer, like a scan without OCR. */
export async function pdfWithoutTextLayer(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage([400, 500]).drawRectangle({ x: 50, y: 50, width: 100, height: 100 });
  return document.save();
}

/** One page whose font is neither embedded nor standard, which makes pdf.js warn by default. */
export function pdfWithMissingFont(text: string): Uint8Array {
  const objects = onePageObjects(text);
  const content = `BT /F9 12 Tf 72 700 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  return handMadePdf(objects);
}

/** Deterministic pseudo-random bytes (a linear congruential generator), so failures reproduce. */
export function pseudoRandomBytes(length: number, seed = 42): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/**
 * A PDF of `count` pages that all show one shared content stream, in one flat page tree: a
 * few bytes per page, so that a file of a few megabytes takes minutes to read in full.
 */
export function pdfWithManyPages(count: number, line = 'One page of a very long document'): Uint8Array {
  const content = `BT /F1 12 Tf 72 700 Td (${line}) Tj ET`;
  const kids = Array.from({ length: count }, (_, i) => `${i + 5} 0 R`).join(' ');
  const pageObject =
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>';
  return handMadePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...Array.from({ length: count }, () => pageObject),
  ]);
}
