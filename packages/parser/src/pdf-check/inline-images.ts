import { isWhite, PdfDict, PdfKeyword, PdfName, PdfReader } from './pdf-syntax.js';

/** An inline image (`BI <entries> ID <data> EI`) in the decoded bytes of a content stream. */
export interface InlineImage {
  /** Where `BI` starts. */
  at: number;
  dict: PdfDict;
  /** Where its data starts; pdf.js finds the end by heuristics, so everything after may be data. */
  dataStart: number;
}

/** No real inline image has more entries; a longer run is not one. */
const MAX_ENTRIES = 64;
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const standsAlone = (byte: number | undefined) => byte === undefined || isWhite(byte) || DELIMITERS.has(byte);

/**
 * Every inline image pdf.js could find in `content`. pdf.js decodes an inline image's data
 * in full when it draws the page, whatever size the image declares, so compressed ones
 * need the same limits as streams.
 */
export function* inlineImages(content: Uint8Array): Generator<InlineImage> {
  const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  for (let at = buffer.indexOf('BI'); at >= 0; at = buffer.indexOf('BI', at + 2)) {
    if (!standsAlone(content[at - 1]) || !standsAlone(content[at + 2])) continue;
    const image = readInlineImage(content, at);
    if (image) yield image;
  }
}

function readInlineImage(content: Uint8Array, at: number): InlineImage | null {
  const reader = new PdfReader(content, at + 2);
  const dict = new PdfDict();
  for (let entries = 0; entries <= MAX_ENTRIES; entries++) {
    const key = reader.value();
    if (key instanceof PdfKeyword && key.word === 'ID') {
      // pdf.js's lexer has read one byte past the operator, normally the space before the data.
      return { at, dict, dataStart: reader.pos + 1 };
    }
    if (!(key instanceof PdfName)) return null;
    const value = reader.value();
    if (value === undefined || value instanceof PdfKeyword) return null;
    dict.entries.set(key.name, value);
  }
  return null;
}
