import { DocumentError, type DocumentErrorReason } from '../document-error.js';
import type { DocxLimits } from '../docx-archive.js';
import { OcrPageFailure, OcrUnavailable } from '../ocr/ocr-errors.js';
import type { OcrLanguage } from '../ocr/ocr-languages.js';
import type { OcrText } from '../ocr/ocr-worker.js';
import type { StreamLimits } from '../pdf-check/stream-limits.js';
import type { ParsedDocument, ParseOptions } from '../read-document.js';

/** The messages between a document thread and the thread that owns it (see document-thread.ts). */

/** What a document thread is started with (its workerData); the same for every document. */
export interface ThreadSettings {
  ocrPageTimeoutMs: number;
  maxImagePixels: number;
  docxLimits: DocxLimits;
  streamLimits: StreamLimits;
}

/**
 * ParseOptions as they cross to the thread: the signal stays with the owner, which stops
 * the thread; pages read come back as 'progress' messages.
 */
export type ThreadParseOptions = Omit<ParseOptions, 'signal' | 'onPage'>;

export type ToThread =
  | { type: 'parse'; bytes: Uint8Array; options: ThreadParseOptions }
  | { type: 'recognized'; id: number; text: OcrText }
  | { type: 'unrecognized'; id: number; error: WireError };

export type FromThread =
  | { type: 'recognize'; id: number; image: Uint8Array; language: OcrLanguage; timeoutMs: number | undefined }
  /** `heapBytes`: what the thread holds after the document, so that a bloated one can be retired. */
  | { type: 'progress'; done: number; total: number }
  | { type: 'parsed'; document: ParsedDocument; heapBytes: number }
  | { type: 'failed'; error: WireError; heapBytes: number };

/**
 * An error as structured clone carries it: class names and own fields are lost on the way,
 * so the ones callers tell apart (DocumentError above all) are rebuilt from these fields.
 */
export interface WireError {
  name: string;
  message: string;
  stack?: string | undefined;
  reason?: DocumentErrorReason;
  kind?: OcrPageFailure['kind'];
}

export function toWire(error: unknown): WireError {
  if (error instanceof DocumentError)
    return { name: error.name, message: error.message, reason: error.reason };
  if (error instanceof OcrPageFailure) return { name: error.name, message: error.message, kind: error.kind };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

const STANDARD: Readonly<Record<string, new (message: string) => Error>> = {
  RangeError,
  TypeError,
  SyntaxError,
};

export function fromWire(wire: WireError): Error {
  if (wire.reason !== undefined) return new DocumentError(wire.reason, wire.message);
  if (wire.kind !== undefined) return new OcrPageFailure(wire.kind, wire.message);
  if (wire.name === 'OcrUnavailable') return new OcrUnavailable(wire.message);
  const error = new (STANDARD[wire.name] ?? Error)(wire.message);
  if (!(wire.name in STANDARD)) error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
