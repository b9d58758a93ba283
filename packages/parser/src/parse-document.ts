import { createParser } from './parser.js';
import type { ParsedDocument, ParseOptions } from './read-document.js';

export type { ParsedDocument, ParseOptions } from './read-document.js';

/**
 * Parse one document with a parser made for it and closed after it. Text formats start
 * no thread; a scan or image starts an OCR thread (about half a second) for this call
 * alone, so services should hold one `createParser()` instead.
 */
export async function parseDocument(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  const parser = createParser();
  try {
    return await parser.parse(bytes, options);
  } finally {
    await parser.close();
  }
}
