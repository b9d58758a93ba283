export { DEFAULT_MAX_PAGES } from './choose-pages.js';
export { type DocumentFormat, detectFormat } from './detect-format.js';
export { DocumentError, type DocumentErrorReason, isDocumentError } from './document-error.js';
export { type ParsedDocument, type ParseOptions, parseDocument } from './parse-document.js';
