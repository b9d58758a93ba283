import { createParser, type Parser } from './parser.js';
import type { ParsedDocument, ParseOptions } from './read-document.js';

export type { ParsedDocument, ParseOptions } from './read-document.js';

let shared: Parser | null = null;

/**
 * Parse one document with a parser of default settings that this module starts on first
 * use and keeps: its document and OCR threads stay warm from one call to the next, and
 * never keep the process alive while idle. Services hold their own `createParser()`, with
 * their settings, and close it on shutdown.
 */
export function parseDocument(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  shared ??= createParser();
  return shared.parse(bytes, options);
}
