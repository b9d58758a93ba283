import type { ParsedPage } from '@classifyd/shared';
import { assertValidPageChoice, choosePages } from './choose-pages.js';
import { type DocumentFormat, detectFormat } from './detect-format.js';
import { DocumentError } from './document-error.js';
import { htmlPage } from './html-page.js';
import { readPdfPages } from './pdf-pages.js';
import { type PageContent, textPages } from './text-pages.js';
import { unsupportedFormatError } from './unsupported-format.js';

export interface ParseOptions {
  /** "1,3,5-7": 1-based, inclusive; wins over maxPages. */
  targetPages?: string | null;
  maxPages?: number | null;
  /** Applied when neither targetPages nor maxPages is given, so a 500-page upload cannot tie up a worker. Default 100. */
  defaultMaxPages?: number;
  /** ISO 639-1; unused until OCR arrives. */
  lang?: string;
  /** Checked between pages; an abort rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ParsedDocument {
  format: DocumentFormat;
  /** Pages in the whole document, not only the ones read. */
  pageCount: number;
  pages: ParsedPage[];
}

const NO_TEXT: Readonly<Record<Exclude<DocumentFormat, 'pdf'>, string>> = {
  text: 'The text file contains only whitespace; there is nothing to read',
  markdown: 'The Markdown file contains only whitespace; there is nothing to read',
  html: 'The HTML document has no visible text; there is nothing to read',
};

function pickPages(
  format: Exclude<DocumentFormat, 'pdf'>,
  contents: PageContent[],
  options: ParseOptions,
): ParsedDocument {
  if (contents.every((page) => page.text.trim() === '')) throw new DocumentError('empty', NO_TEXT[format]);
  const pages = choosePages(contents.length, options).map((pageNumber): ParsedPage => {
    options.signal?.throwIfAborted();
    const content = contents[pageNumber - 1] as PageContent;
    return { page_number: pageNumber, text: content.text, markdown: content.markdown, success: true };
  });
  return { format, pageCount: contents.length, pages };
}

/**
 * Read the text of a document, page by page. A `DocumentError` means the document itself
 * can never be read (its message is for the end user); any other error is transient.
 */
export async function parseDocument(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  options.signal?.throwIfAborted();
  assertValidPageChoice(options);
  if (bytes.length === 0)
    throw new DocumentError('empty', 'The file is empty; upload a document with some content');
  const format = detectFormat(bytes);
  switch (format) {
    case null:
      throw unsupportedFormatError(bytes);
    case 'pdf': {
      const { pageCount, pages } = await readPdfPages(
        bytes,
        (count) => choosePages(count, options),
        options.signal,
      );
      return { format, pageCount, pages };
    }
    case 'html':
      return pickPages(format, [htmlPage(bytes)], options);
    case 'markdown':
    case 'text':
      return pickPages(format, textPages(bytes, format), options);
  }
}
