import type { ParsedPage } from '@classifyd/shared';
import { getResolvedPDFJS } from 'unpdf';
import { DocumentError } from './document-error.js';
import type { PageOcr } from './page-ocr.js';
import { checkPdfStreams } from './pdf-check/check-pdf-streams.js';
import type { StreamLimits } from './pdf-check/stream-limits.js';
import { type Opened, PdfDrawing } from './pdf-drawing.js';
import { pageTextFromItems } from './pdf-page-text.js';
import { type CanvasFactoryClass, loadCanvasFactory, type PdfDocument, type PdfPage } from './pdf-render.js';

/** Errors pdf.js raises for a file it cannot make sense of, as opposed to a failure of ours. */
const DAMAGED_PDF_ERRORS = new Set([
  'InvalidPDFException',
  'FormatError',
  'UnknownErrorException',
  'XRefParseException',
  'XRefEntryException',
  'MissingDataException',
]);

const PAGE_FAILED = 'The text of this page could not be read; the page may be damaged';

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

function openingError(error: unknown): unknown {
  const name = errorName(error);
  if (name === 'PasswordException') {
    return new DocumentError('encrypted', 'The PDF is encrypted; upload a copy without a password', {
      cause: error,
    });
  }
  if (name !== undefined && DAMAGED_PDF_ERRORS.has(name)) {
    return new DocumentError(
      'corrupt',
      'The PDF is damaged or incomplete and could not be opened; check that the upload finished, or export the PDF again',
      { cause: error },
    );
  }
  return error;
}

export interface PdfPages {
  pageCount: number;
  pages: ParsedPage[];
}

/** A page whose text layer has fewer visible characters than this is read as a scan. */
export const MIN_TEXT_LAYER_CHARS = 20;

export interface PdfReadOptions {
  signal?: AbortSignal | undefined;
  /** Reads pages without a usable text layer by OCR; without it they keep their (lack of) text. */
  ocr?: PageOcr | undefined;
  /** Images larger than this many pixels are skipped by pdf.js instead of being decoded. */
  maxImagePixels?: number | undefined;
  /** How far its compressed streams may unpack; checked before pdf.js reads the file. */
  streamLimits?: StreamLimits | undefined;
  /** Told after each page read. */
  onPage?: ((done: number, total: number) => void) | undefined;
}

const visibleChars = (text: string) => text.replace(/\s/g, '').length;

/**
 * Read the text layer of the chosen pages of a PDF, and OCR those without one. Pages are
 * read one at a time, so cost follows the number of chosen pages, not the size of the
 * document, and `signal` is honoured between pages. With `streamLimits`, pdf.js only ever
 * sees bytes whose compressed streams have been measured: text comes from a copy whose
 * images are not decoded, pages are drawn from one checked in full (see PdfDrawing).
 */
export async function readPdfPages(
  upload: Uint8Array,
  choosePages: (pageCount: number) => number[],
  options: PdfReadOptions = {},
): Promise<PdfPages> {
  const { signal, ocr, streamLimits } = options;
  const maxPixels = options.maxImagePixels ?? Number.POSITIVE_INFINITY;
  const check = (scope: 'text' | 'all') =>
    streamLimits ? checkPdfStreams(upload, streamLimits, maxPixels, scope) : upload;
  const textBytes = check('text');
  const pdfjs = await getResolvedPDFJS();
  const CanvasFactory = ocr ? await loadCanvasFactory() : null;
  const open = async (bytes: Uint8Array): Promise<Opened> => {
    const task = pdfjs.getDocument({
      // A fresh plain Uint8Array: pdf.js rejects Node Buffers, and it transfers the buffer it
      // is given to its worker, which would detach the caller's (Buffer#slice is not a copy).
      data: new Uint8Array(bytes),
      // Warnings about damaged fonts or odd structures would go to the console; the caller logs.
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      useSystemFonts: false,
      disableFontFace: true,
      enableXfa: false,
      maxImageSize: options.maxImagePixels ?? -1,
      ...(CanvasFactory ? { CanvasFactory } : {}),
    });
    try {
      return { document: await task.promise, destroy: () => task.destroy() };
    } catch (error) {
      await task.destroy();
      throw openingError(error);
    }
  };
  const text = await open(textBytes);
  const drawing = ocr
    ? new PdfDrawing(textBytes, text.document, () => check('all'), open, options.maxImagePixels)
    : undefined;
  try {
    const pageCount = text.document.numPages;
    if (pageCount === 0) throw new DocumentError('empty', 'The PDF has no pages');
    const pages: ParsedPage[] = [];
    const chosen = choosePages(pageCount);
    for (const pageNumber of chosen) {
      signal?.throwIfAborted();
      pages.push(await readPage(text.document, pageNumber, ocr, CanvasFactory, drawing));
      options.onPage?.(pages.length, chosen.length);
    }
    if (pages.every((page) => !page.success)) {
      throw (
        ocr?.failureError() ??
        new DocumentError(
          'corrupt',
          'None of the selected pages of the PDF could be read; the file may be damaged, try exporting it again',
        )
      );
    }
    return { pageCount, pages };
  } finally {
    await drawing?.close();
    await text.destroy();
  }
}

async function readPage(
  document: PdfDocument,
  pageNumber: number,
  ocr: PageOcr | undefined,
  canvas: CanvasFactoryClass | null,
  drawing: PdfDrawing | undefined,
): Promise<ParsedPage> {
  const failed: ParsedPage = {
    page_number: pageNumber,
    text: '',
    markdown: '',
    success: false,
    error: PAGE_FAILED,
  };
  let page: PdfPage;
  try {
    page = await document.getPage(pageNumber);
  } catch {
    return failed;
  }
  try {
    let text: string;
    try {
      text = pageTextFromItems((await page.getTextContent()).items);
    } catch {
      return failed;
    }
    if (!ocr || !drawing || visibleChars(text) >= MIN_TEXT_LAYER_CHARS) {
      return { page_number: pageNumber, text, markdown: text, success: true };
    }
    const drawn = await drawing.page(pageNumber, page);
    try {
      return await ocr.readPdfPage(drawn.page, pageNumber, canvas, text, drawing.fallback());
    } finally {
      drawn.release();
    }
  } finally {
    page.cleanup();
  }
}
