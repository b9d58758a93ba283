import type { ParsedPage } from '@classifyd/shared';
import { DocumentError } from './document-error.js';
import { formatLimit } from './ocr/format-limit.js';
import { OcrPageFailure } from './ocr/ocr-errors.js';
import type { OcrLanguage } from './ocr/ocr-languages.js';
import type { TextRecognizer } from './ocr/text-recognizer.js';
import type { FallbackPdfRenderer } from './pdf-fallback-render.js';
import {
  type CanvasFactoryClass,
  isBlank,
  type PageImage,
  type PdfPage,
  paintsImages,
  renderPage,
} from './pdf-render.js';

export interface OcrSummary {
  /** The Tesseract language used. */
  language: OcrLanguage;
  /** Pages sent to OCR, including those that failed. */
  pages: number[];
  /** Wall time spent rendering and recognising those pages. */
  ms: number;
}

const UNDECODABLE =
  'This page is a scanned image that cannot be decoded (its image data looks damaged); it was not read';
const RENDER_FAILED =
  'This page has no text layer, and its image could not be drawn for text recognition (OCR)';

const visibleChars = (text: string) => text.replace(/\s/g, '').length;

const isTimeout = (error: unknown) => error instanceof OcrPageFailure && error.kind === 'timeout';

/** OCR output laid out like the other formats' text: no trailing spaces, at most one blank line. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function failedPage(pageNumber: number, error: string): ParsedPage {
  return { page_number: pageNumber, text: '', markdown: '', success: false, error };
}

/**
 * The OCR work of one parse: pages go to the parser's recognizer in `language`; failures
 * of single pages become failed pages, while an abort or an unavailable engine rejects.
 */
export class PageOcr {
  private readonly pages: number[] = [];
  private ms = 0;
  private timeouts = 0;
  private failures = 0;
  private undecodable = 0;

  constructor(
    private readonly recognizer: TextRecognizer,
    private readonly language: OcrLanguage,
    private readonly pageTimeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  summary(): OcrSummary | null {
    return this.pages.length === 0 ? null : { language: this.language, pages: [...this.pages], ms: this.ms };
  }

  /** Recognise an encoded image as page `pageNumber`. */
  async readImage(image: Uint8Array, pageNumber: number): Promise<ParsedPage> {
    return this.timed(pageNumber, (remainingMs) => this.recognize(image, pageNumber, remainingMs()));
  }

  /**
   * Draw a PDF page whose text layer is missing or too short and recognise it. The OCR
   * text replaces the layer unless it holds fewer visible characters. A page that paints
   * an image yet comes out blank is drawn again by `fallback`, whose PDF.js decodes JBIG2
   * and JPEG 2000.
   */
  async readPdfPage(
    page: PdfPage,
    pageNumber: number,
    canvas: CanvasFactoryClass | null,
    textLayer = '',
    fallback?: FallbackPdfRenderer,
  ): Promise<ParsedPage> {
    return this.timed(pageNumber, async (remainingMs) => {
      if (canvas === null) return this.failed(pageNumber, RENDER_FAILED);
      let image: PageImage;
      try {
        image = await renderPage(page, canvas, remainingMs());
      } catch (error) {
        this.signal?.throwIfAborted();
        if (isTimeout(error)) throw error;
        return this.failed(pageNumber, RENDER_FAILED);
      }
      if (isBlank(image)) {
        if (!(await paintsImages(page)))
          return { page_number: pageNumber, text: '', markdown: '', success: true };
        const redrawn = fallback ? await this.redraw(fallback, pageNumber, canvas, remainingMs()) : null;
        if (redrawn === null || isBlank(redrawn)) {
          this.undecodable++;
          return failedPage(pageNumber, UNDECODABLE);
        }
        image = redrawn;
      }
      const read = await this.recognize(image.pgm, pageNumber, remainingMs());
      if (!read.success || visibleChars(read.text) >= visibleChars(textLayer)) return read;
      return { ...read, text: textLayer, markdown: textLayer };
    });
  }

  /**
   * The error for a document none of whose selected pages could be read, when OCR is to
   * blame; null when no page failed in OCR.
   */
  failureError(): DocumentError | null {
    if (this.timeouts + this.failures + this.undecodable === 0) return null;
    const limit = formatLimit(this.pageTimeoutMs);
    if (this.undecodable > 0 && this.timeouts + this.failures === 0) {
      return new DocumentError(
        'ocr_failed',
        'The selected pages are scanned images whose image data cannot be decoded (damaged or an unsupported encoding); scan or save the document again with JPEG or PNG images, or with a text layer',
      );
    }
    return new DocumentError(
      'ocr_failed',
      this.failures === 0
        ? `Text recognition (OCR) did not finish on any selected page within the ${limit} limit per page; upload a smaller or clearer scan, or select fewer pages`
        : 'Text recognition (OCR) failed on every selected page; the page images may be damaged. Scan or export the document again',
    );
  }

  /**
   * Runs the work of one page within one time budget: `read` gets the milliseconds left of
   * the page's limit, so drawing and recognising together take at most the limit. A stage
   * that runs out fails the page as timed out, whichever stage it was.
   */
  private async timed(
    pageNumber: number,
    read: (remainingMs: () => number) => Promise<ParsedPage>,
  ): Promise<ParsedPage> {
    this.signal?.throwIfAborted();
    const started = performance.now();
    const remainingMs = () => Math.max(1, Math.round(this.pageTimeoutMs - (performance.now() - started)));
    this.pages.push(pageNumber);
    try {
      return await read(remainingMs);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      this.timeouts++;
      return failedPage(pageNumber, this.timeoutMessage());
    } finally {
      this.ms += performance.now() - started;
    }
  }

  private timeoutMessage(): string {
    return `Reading this page by text recognition (OCR) took longer than the ${formatLimit(this.pageTimeoutMs)} limit per page and was stopped`;
  }

  /** The page drawn by the fallback renderer; null when that fails too. */
  private async redraw(
    fallback: FallbackPdfRenderer,
    pageNumber: number,
    canvas: CanvasFactoryClass,
    timeoutMs: number,
  ): Promise<PageImage | null> {
    try {
      return await fallback.render(pageNumber, canvas, timeoutMs);
    } catch (error) {
      this.signal?.throwIfAborted();
      if (isTimeout(error)) throw error;
      return null;
    }
  }

  private failed(pageNumber: number, error: string): ParsedPage {
    this.failures++;
    return failedPage(pageNumber, error);
  }

  private async recognize(image: Uint8Array, pageNumber: number, timeoutMs: number): Promise<ParsedPage> {
    try {
      const { text } = await this.recognizer.recognize(image, this.language, {
        signal: this.signal,
        timeoutMs,
      });
      const tidied = tidy(text);
      return { page_number: pageNumber, text: tidied, markdown: tidied, success: true };
    } catch (error) {
      if (!(error instanceof OcrPageFailure) || isTimeout(error)) throw error;
      this.failures++;
      return failedPage(pageNumber, error.message);
    }
  }
}
