import { assertValidPageChoice } from './choose-pages.js';
import { DEFAULT_DOCX_LIMITS, type DocxLimits } from './docx-archive.js';
import { OcrPool } from './ocr/ocr-pool.js';
import type { ParsedDocument, ParseOptions } from './read-document.js';
import { DocumentSandbox } from './sandbox/document-sandbox.js';

export interface ParserSettings {
  /** OCR threads at most (each 100-200 MB); pages beyond wait. Default 1. */
  ocrConcurrency?: number;
  /** Rendering plus recognition of one page; past it the thread is replaced and the page fails. Default 60 000. */
  ocrPageTimeoutMs?: number;
  /** Starting an OCR thread and loading its language. Default 30 000. */
  ocrStartTimeoutMs?: number;
  /** An idle OCR thread is ended after this long. Default 120 000. */
  ocrIdleTimeoutMs?: number;
  /** Largest image page, in pixels, read from headers before decoding; also caps images inside PDFs. Default 50 000 000. */
  maxImagePixels?: number;
  /**
   * Time one document may take, OCR included; past it its thread is stopped and the
   * document fails. Default 600 000: a hundred scanned pages at about 3 s each, twice over.
   */
  documentTimeoutMs?: number;
  /** V8 heap of the thread reading one document, in MiB; past it the document fails. Default 512. */
  maxDocumentHeapMb?: number;
  /**
   * Largest unpacked size of one compressed stream inside a PDF, checked before pdf.js
   * reads any of it. pdf.js grows its buffers by doubling, so reading a stream of this size
   * costs up to three times as much memory. Default 128 MiB: a 600 dpi A4 colour image.
   */
  maxInflatedStreamBytes?: number;
  /** Largest unpacked size of all the compressed streams of one PDF together. Default 1 GiB. */
  maxInflatedTotalBytes?: number;
  /** An idle document thread is ended after this long. Default 120 000. */
  documentThreadIdleTimeoutMs?: number;
  /** Zip-bomb limits for DOCX; see DEFAULT_DOCX_LIMITS. */
  docxLimits?: Partial<DocxLimits>;
}

export interface Parser {
  /** Read a document; see readDocument for what rejects how. */
  parse(bytes: Uint8Array, options?: ParseOptions): Promise<ParsedDocument>;
  /** End the document and OCR threads. Parses still running reject; safe to call twice. */
  close(): Promise<void>;
}

/** A parser that reads documents in threads of its own (see DocumentSandbox). */
export interface ThreadedParser extends Parser {
  /** Document threads started so far, replacements of stopped or crashed ones included. */
  readonly threadsStarted: number;
}

export const PARSER_DEFAULTS = {
  ocrConcurrency: 1,
  ocrPageTimeoutMs: 60_000,
  ocrStartTimeoutMs: 30_000,
  ocrIdleTimeoutMs: 120_000,
  maxImagePixels: 50_000_000,
  documentTimeoutMs: 600_000,
  maxDocumentHeapMb: 512,
  maxInflatedStreamBytes: 128 * 1024 * 1024,
  maxInflatedTotalBytes: 1024 * 1024 * 1024,
  documentThreadIdleTimeoutMs: 120_000,
} as const satisfies Required<Omit<ParserSettings, 'docxLimits'>>;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * A parser with its own document threads and bounded pool of OCR threads, both started on
 * first need. A service makes one at boot, shares it between its jobs, and closes it on
 * shutdown.
 */
export function createParser(settings: ParserSettings = {}): ThreadedParser {
  const merged = { ...PARSER_DEFAULTS, ...settings };
  for (const key of Object.keys(PARSER_DEFAULTS) as (keyof typeof PARSER_DEFAULTS)[]) {
    positiveInteger(key, merged[key]);
  }
  // Owned by this thread and shared by every document thread, so that OCR memory is
  // bounded per process, not per document.
  const pool = new OcrPool({
    concurrency: merged.ocrConcurrency,
    pageTimeoutMs: merged.ocrPageTimeoutMs,
    startTimeoutMs: merged.ocrStartTimeoutMs,
    idleTimeoutMs: merged.ocrIdleTimeoutMs,
  });
  const sandbox = new DocumentSandbox(
    {
      thread: {
        ocrPageTimeoutMs: merged.ocrPageTimeoutMs,
        maxImagePixels: merged.maxImagePixels,
        docxLimits: { ...DEFAULT_DOCX_LIMITS, ...settings.docxLimits },
        streamLimits: {
          maxStreamBytes: merged.maxInflatedStreamBytes,
          maxTotalBytes: merged.maxInflatedTotalBytes,
        },
      },
      heapLimitMb: merged.maxDocumentHeapMb,
      timeoutMs: merged.documentTimeoutMs,
      idleTimeoutMs: merged.documentThreadIdleTimeoutMs,
    },
    pool,
  );
  let closed = false;
  return {
    async parse(bytes, options = {}) {
      if (closed) throw new Error('The parser was closed; create a new one');
      const { signal, onPage, ...rest } = options;
      signal?.throwIfAborted();
      // A bad page choice is the caller's bug (RangeError) or the user's (DocumentError);
      // either way there is no need to wake a thread for it.
      assertValidPageChoice(rest);
      return sandbox.parse(bytes, rest, signal, onPage);
    },
    get threadsStarted() {
      return sandbox.threadsStarted;
    },
    async close() {
      closed = true;
      await Promise.all([sandbox.close(), pool.close()]);
    },
  };
}
