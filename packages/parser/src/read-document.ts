import type { ParsedPage } from '@classifyd/shared';
import { assertValidPageChoice, choosePages } from './choose-pages.js';
import { type DocumentFormat, detectFormat } from './detect-format.js';
import { DocumentError } from './document-error.js';
import type { DocxLimits } from './docx-archive.js';
import { docxPages } from './docx-pages.js';
import { htmlPage } from './html-page.js';
import { readImagePages } from './image-pages.js';
import { ocrLanguageFor } from './ocr/ocr-languages.js';
import type { TextRecognizer } from './ocr/text-recognizer.js';
import { type OcrSummary, PageOcr } from './page-ocr.js';
import type { StreamLimits } from './pdf-check/stream-limits.js';
import { readPdfPages } from './pdf-pages.js';
import { type PageContent, textPages } from './text-pages.js';
import { unsupportedFormatError } from './unsupported-format.js';

export interface ParseOptions {
  /** "1,3,5-7": 1-based, inclusive; wins over maxPages. */
  targetPages?: string | null;
  maxPages?: number | null;
  /** Applied when neither targetPages nor maxPages is given, so a 500-page upload cannot tie up a worker. Default 100. */
  defaultMaxPages?: number;
  /**
   * ISO 639-1 language of the document, used by OCR only: en, fr, de and es have trained
   * data; any other value reads scans with the English model (see ocrLanguageFor).
   */
  lang?: string | null;
  /** Checked between pages and during OCR; an abort rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told after each page of a PDF or an image (the formats whose pages can take seconds). */
  onPage?: (done: number, total: number) => void;
}

export interface ParsedDocument {
  format: DocumentFormat;
  /** Pages in the whole document, not only the ones read. */
  pageCount: number;
  pages: ParsedPage[];
  /** Which pages went through OCR, in which language and how long it took; null when none did. */
  ocr: OcrSummary | null;
}

/** What a parse shares with the other parses of its parser. */
export interface ParseEngine {
  recognizer: TextRecognizer;
  ocrPageTimeoutMs: number;
  maxImagePixels: number;
  docxLimits: DocxLimits;
  streamLimits: StreamLimits;
}

type TextFormat = 'docx' | 'html' | 'markdown' | 'text';

const NO_TEXT: Readonly<Record<TextFormat, string>> = {
  docx: 'The DOCX document contains no text; there is nothing to read',
  text: 'The text file contains only whitespace; there is nothing to read',
  markdown: 'The Markdown file contains only whitespace; there is nothing to read',
  html: 'The HTML document has no visible text; there is nothing to read',
};

function pickPages(format: TextFormat, contents: PageContent[], options: ParseOptions): ParsedDocument {
  if (contents.every((page) => page.text.trim() === '')) throw new DocumentError('empty', NO_TEXT[format]);
  const pages = choosePages(contents.length, options).map((pageNumber): ParsedPage => {
    options.signal?.throwIfAborted();
    const content = contents[pageNumber - 1] as PageContent;
    return { page_number: pageNumber, text: content.text, markdown: content.markdown, success: true };
  });
  return { format, pageCount: contents.length, pages, ocr: null };
}

/**
 * Read the text of a document, page by page. A `DocumentError` means the document itself
 * can never be read (its message is for the end user); any other error is transient.
 */
export async function readDocument(
  bytes: Uint8Array,
  options: ParseOptions,
  engine: ParseEngine,
): Promise<ParsedDocument> {
  options.signal?.throwIfAborted();
  assertValidPageChoice(options);
  if (bytes.length === 0)
    throw new DocumentError('empty', 'The file is empty; upload a document with some content');
  const format = detectFormat(bytes);
  const choose = (pageCount: number) => choosePages(pageCount, options);
  const pageOcr = () =>
    new PageOcr(engine.recognizer, ocrLanguageFor(options.lang), engine.ocrPageTimeoutMs, options.signal);
  switch (format) {
    case null:
      throw unsupportedFormatError(bytes);
    case 'pdf': {
      const ocr = pageOcr();
      const read = await readPdfPages(bytes, choose, {
        signal: options.signal,
        onPage: options.onPage,
        ocr,
        maxImagePixels: engine.maxImagePixels,
        streamLimits: engine.streamLimits,
      });
      return { format, ...read, ocr: ocr.summary() };
    }
    case 'png':
    case 'jpeg':
    case 'tiff':
    case 'webp': {
      const ocr = pageOcr();
      const read = await readImagePages(bytes, format, choose, ocr, engine.maxImagePixels, options.onPage);
      return { format, ...read, ocr: ocr.summary() };
    }
    case 'docx':
      return pickPages(format, await docxPages(bytes, engine.docxLimits), options);
    case 'html':
      return pickPages(format, [htmlPage(bytes)], options);
    case 'markdown':
    case 'text':
      return pickPages(format, textPages(bytes, format), options);
  }
}
