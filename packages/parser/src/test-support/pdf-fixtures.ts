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

/**
 * A PDF written object by object, for structures pdf-lib will not produce: encryption
 * dictionaries, broken page trees. Objects are numbered from 1 in the order given.
 */
export function handMadePdf(objects: readonly string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

function contentStream(content: string): string {
  return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const PAGE =
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>';

/** The objects of a one-page document whose page reads `text`; objects 1 to 5. */
export function onePageObjects(text: string): string[] {
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    contentStream(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET`),
    HELVETICA,
  ];
}

/**
 * A password-protected PDF: the standard security handler (RC4, revision 2) with a user
 * password check value that the empty password does not match, as pdf-lib cannot encrypt.
 */
export function encryptedPdf(text: string): Uint8Array {
  return handMadePdf(
    [
      ...onePageObjects(text),
      `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]`,
  );
}

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
  objects[3] = contentStream(`BT /F9 12 Tf 72 700 Td (${text}) Tj ET`);
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
