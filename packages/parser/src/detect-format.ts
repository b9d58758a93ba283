import { decodeText, leadingSample, looksLikeText } from './decode-text.js';
import type { ImageFormat } from './image-header.js';
import { looksLikeMarkdown } from './looks-like-markdown.js';
import { knownUnsupportedFormat } from './unsupported-format.js';
import { zipKind } from './zip-kind.js';

/** The formats the parser reads. */
export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | ImageFormat;

const IMAGE_SIGNATURES: readonly { format: ImageFormat; magic: readonly (number | null)[] }[] = [
  { format: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', magic: [0xff, 0xd8, 0xff] },
  { format: 'tiff', magic: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', magic: [0x4d, 0x4d, 0x00, 0x2a] },
  // BigTIFF: detected as TIFF so that the user hears it is the BigTIFF variant that is refused.
  { format: 'tiff', magic: [0x49, 0x49, 0x2b, 0x00] },
  { format: 'tiff', magic: [0x4d, 0x4d, 0x00, 0x2b] },
  // RIFF, any size, WEBP.
  { format: 'webp', magic: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50] },
];

function imageFormat(bytes: Uint8Array): ImageFormat | null {
  const signature = IMAGE_SIGNATURES.find(
    ({ magic }) =>
      bytes.length >= magic.length && magic.every((byte, i) => byte === null || bytes[i] === byte),
  );
  return signature?.format ?? null;
}

/** pdf.js looks for the header within the first 1024 bytes, so junk before it is tolerated. */
const PDF_HEADER_WINDOW = 1024;
const PDF_HEADER = /%PDF-\d\.\d/;
const PDF_OBJECT = /\d+\s+\d+\s+obj\b/;
const SNIFF_BYTES = 64 * 1024;

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

/** Where the PDF header starts within the window pdf.js searches, or -1. */
function pdfHeaderOffset(bytes: Uint8Array): number {
  return latin1(bytes.subarray(0, PDF_HEADER_WINDOW)).search(PDF_HEADER);
}

/**
 * A header after other bytes counts only when PDF objects follow it, so that a text which
 * merely mentions "%PDF-1.7" is still read as text.
 */
function hasLatePdfHeader(bytes: Uint8Array, offset: number): boolean {
  return offset > 0 && PDF_OBJECT.test(latin1(bytes.subarray(offset, offset + SNIFF_BYTES)));
}

/** Leading noise that may precede the first tag of an HTML document. */
const HTML_PREAMBLE = /^(?:\s+|<\?xml[^>]*>|<!--[\s\S]*?-->)+/;
const HTML_DOCUMENT_START = /^<(?:!doctype\s+html|html|head|body)\b/i;
const HTML_DOCUMENT_TAG_NEAR_START = /<(?:html|head|body)\b[^>]*>/i;
const HTML_FRAGMENT_START =
  /^<(?:meta|title|link|style|script|div|p|table|span|h[1-6]|ul|ol|section|article|main|header|footer|nav|form|center|font|a|b|i|br)\b[^>]*>/i;

function startsLikeHtmlDocument(start: string): boolean {
  return HTML_DOCUMENT_START.test(start) || HTML_DOCUMENT_TAG_NEAR_START.test(start.slice(0, 1024));
}

function htmlStart(sample: string): string {
  return sample.slice(0, 4096).replace(HTML_PREAMBLE, '');
}

function looksLikeHtml(sample: string): boolean {
  const start = htmlStart(sample);
  if (startsLikeHtmlDocument(start)) return true;
  // READMEs often open with `<p align="center">` and go on in Markdown.
  return HTML_FRAGMENT_START.test(start) && !looksLikeMarkdown(sample);
}

/**
 * The format of a document, judged by its content alone (magic bytes, then sniffing the
 * text), never by its file name. `null` means the parser cannot read it.
 */
export function detectFormat(bytes: Uint8Array): DocumentFormat | null {
  if (bytes.length === 0) return null;
  const pdfOffset = pdfHeaderOffset(bytes);
  if (pdfOffset === 0) return 'pdf';
  const image = imageFormat(bytes);
  if (image !== null) return image;
  const zip = zipKind(bytes);
  if (zip !== null) return zip === 'docx' ? 'docx' : null;
  if (knownUnsupportedFormat(bytes) !== null) return null;
  const sample = decodeText(leadingSample(bytes, SNIFF_BYTES));
  const textual = looksLikeText(sample);
  // An HTML page that quotes PDF syntax is still a page; a PDF never starts like one.
  if (textual && startsLikeHtmlDocument(htmlStart(sample))) return 'html';
  if (hasLatePdfHeader(bytes, pdfOffset)) return 'pdf';
  if (!textual) return null;
  if (looksLikeHtml(sample)) return 'html';
  if (looksLikeMarkdown(sample)) return 'markdown';
  return 'text';
}
