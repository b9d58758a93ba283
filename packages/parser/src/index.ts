export { DEFAULT_MAX_PAGES } from './choose-pages.js';
export { type DocumentFormat, detectFormat } from './detect-format.js';
export { DocumentError, type DocumentErrorReason, isDocumentError } from './document-error.js';
export { DEFAULT_DOCX_LIMITS, type DocxLimits } from './docx-archive.js';
export {
  DEFAULT_OCR_LANGUAGE,
  OCR_LANGUAGES,
  type OcrLanguage,
  ocrLanguageFor,
} from './ocr/ocr-languages.js';
export type { OcrSummary } from './page-ocr.js';
export { parseDocument } from './parse-document.js';
export {
  createParser,
  PARSER_DEFAULTS,
  type Parser,
  type ParserSettings,
  type ThreadedParser,
} from './parser.js';
export type { ParsedDocument, ParseOptions } from './read-document.js';
