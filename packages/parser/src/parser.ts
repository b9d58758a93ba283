import { DEFAULT_DOCX_LIMITS, type DocxLimits } from './docx-archive.js';
import { OcrPool } from './ocr/ocr-pool.js';
import { type ParsedDocument, type ParseOptions, readDocument } from './read-document.js';

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
  /** Zip-bomb limits for DOCX; see DEFAULT_DOCX_LIMITS. */
  docxLimits?: Partial<DocxLimits>;
}

export interface Parser {
  /** Read a document; see readDocument for what rejects how. */
  parse(bytes: Uint8Array, options?: ParseOptions): Promise<ParsedDocument>;
  /** End the OCR threads. Parses still running reject; safe to call twice. */
  close(): Promise<void>;
}

export const PARSER_DEFAULTS = {
  ocrConcurrency: 1,
  ocrPageTimeoutMs: 60_000,
  ocrStartTimeoutMs: 30_000,
  ocrIdleTimeoutMs: 120_000,
  maxImagePixels: 50_000_000,
} as const satisfies Required<Omit<ParserSettings, 'docxLimits'>>;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * A parser with its own bounded pool of OCR threads, started on first need. A service
 * makes one at boot, shares it between its jobs, and closes it on shutdown.
 */
export function createParser(settings: ParserSettings = {}): Parser {
  const merged = { ...PARSER_DEFAULTS, ...settings };
  for (const key of Object.keys(PARSER_DEFAULTS) as (keyof typeof PARSER_DEFAULTS)[]) {
    positiveInteger(key, merged[key]);
  }
  const pool = new OcrPool({
    concurrency: merged.ocrConcurrency,
    pageTimeoutMs: merged.ocrPageTimeoutMs,
    startTimeoutMs: merged.ocrStartTimeoutMs,
    idleTimeoutMs: merged.ocrIdleTimeoutMs,
  });
  const engine = {
    pool,
    ocrPageTimeoutMs: merged.ocrPageTimeoutMs,
    maxImagePixels: merged.maxImagePixels,
    docxLimits: { ...DEFAULT_DOCX_LIMITS, ...settings.docxLimits },
  };
  let closed = false;
  return {
    parse(bytes, options = {}) {
      if (closed) return Promise.reject(new Error('The parser was closed; create a new one'));
      return readDocument(bytes, options, engine);
    },
    async close() {
      closed = true;
      await pool.close();
    },
  };
}
