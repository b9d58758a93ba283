import type { ParsedPage } from '@classifyd/shared';
import { getResolvedPDFJS } from 'unpdf';
import { DocumentError } from './document-error.js';
import type { PageOcr } from './page-ocr.js';
import { FallbackPdfRenderer } from './pdf-fallback-render.js';
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
}

const visibleChars = (text: string) => text.replace(/\s/g, '').length;

/**
 * Read the text layer of the chosen pages of a PDF, and OCR those without one. Pages are
 * read one at a time, so cost follows the number of chosen pages, not the size of the
 * document, and `signal` is honoured between pages.
 */
export async function readPdfPages(
  bytes: Uint8Array,
  choosePages: (pageCount: number) => number[],
  options: PdfReadOptions = {},
): Promise<PdfPages> {
  const { signal, ocr } = options;
  const pdfjs = await getResolvedPDFJS();
  const CanvasFactory = ocr ? await loadCanvasFactory() : null;
  const loadingTask = pdfjs.getDocument({
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
  const fallback = ocr ? new FallbackPdfRenderer(bytes, options.maxImagePixels) : undefined;
  try {
    let document: PdfDocument;
    try {
      document = await loadingTask.promise;
    } catch (error) {
      throw openingError(error);
    }
    const pageCount = document.numPages;
    if (pageCount === 0) throw new DocumentError('empty', 'The PDF has no pages');
    const pages: ParsedPage[] = [];
    for (const pageNumber of choosePages(pageCount)) {
      signal?.throwIfAborted();
      pages.push(await readPage(document, pageNumber, ocr, CanvasFactory, fallback));
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
    await fallback?.close();
    await loadingTask.destroy();
  }
}

async function readPage(
  document: PdfDocument,
  pageNumber: number,
  ocr: PageOcr | undefined,
  canvas: CanvasFactoryClass | null,
  fallback: FallbackPdfRenderer | undefined,
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
    if (ocr && visibleChars(text) < MIN_TEXT_LAYER_CHARS)
      return await ocr.readPdfPage(page, pageNumber, canvas, text, fallback);
    return { page_number: pageNumber, text, markdown: text, success: true };
  } finally {
    page.cleanup();
  }
}
