import { PDFDocument, StandardFonts } from 'pdf-lib';
import { textImage } from './bitmap-font.js';
import { encodeJpeg, encodePng } from './images.js';

/** A page with a text layer, or a scan: an image of the text and no text layer at all. */
export type PdfPageSpec =
  | { text: readonly string[] }
  | {
      scan: readonly string[];
      encoding?: 'png' | 'jpeg';
      /** A short text-layer line at the foot of the scan, as scanners stamp page numbers. */
      caption?: string;
    };

const A4: [number, number] = [595, 842];
/** A4 at 150 dpi, the resolution of an ordinary office scan. */
const SCAN_SIZE = { minWidth: 1240, minHeight: 1754 };

/** A PDF of text and scanned pages, in order. */
export async function pdfDocument(pages: readonly PdfPageSpec[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const spec of pages) {
    const page = document.addPage(A4);
    if ('text' in spec) {
      spec.text.forEach((line, i) => {
        page.drawText(line, { x: 50, y: A4[1] - 80 - i * 20, size: 12, font });
      });
      continue;
    }
    const raster = textImage(spec.scan, { ...SCAN_SIZE, margin: 80 });
    const image =
      spec.encoding === 'jpeg'
        ? await document.embedJpg(await encodeJpeg(raster))
        : await document.embedPng(encodePng(raster));
    page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
    if (spec.caption) page.drawText(spec.caption, { x: 50, y: 30, size: 9, font });
  }
  return document.save();
}

/** A scanned PDF: one page image per entry, showing its lines, and no text layer. */
export function scannedPdf(pages: readonly (readonly string[])[]): Promise<Uint8Array> {
  return pdfDocument(pages.map((scan) => ({ scan })));
}

/** A PDF with a text layer: one page per entry, showing its lines. */
export function textPdf(pages: readonly (readonly string[])[]): Promise<Uint8Array> {
  return pdfDocument(pages.map((text) => ({ text })));
}

/** A text PDF cut off at `fraction` of its length, as an interrupted upload leaves it. */
export async function truncatedPdf(fraction = 0.5): Promise<Uint8Array> {
  const whole = await textPdf([['Page one of a contract'], ['Page two of a contract']]);
  return whole.slice(0, Math.floor(whole.length * fraction));
}

/**
 * A password-protected PDF. pdf-lib cannot encrypt, so the file is written by hand with
 * the standard security handler (RC4, revision 2) and a user-password check value that
 * the empty password does not match: a reader must ask for a password.
 */
export function encryptedPdf(text = 'Salary list'): Uint8Array {
  const id = '01'.repeat(16);
  return handMadePdf(
    [
      ...onePageObjects(text),
      `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${id}> <${id}>]`,
  );
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

/** The objects of a one-page document whose page reads `text`; objects 1 to 5. */
export function onePageObjects(text: string): string[] {
  const content = `BT /F1 12 Tf 72 700 Td (${text}) Tj ET`;
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}
