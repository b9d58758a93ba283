import { decodeText } from './decode-text.js';
import { markdownToText } from './markdown-to-text.js';

/** The content of one page before page selection: `text` is plain, `markdown` keeps structure. */
export interface PageContent {
  text: string;
  markdown: string;
}

/**
 * Pages of a plain-text or Markdown document. A form feed is the page break of printed
 * text (pdftotext, enscript, many line printers' spools); a trailing one closes the last
 * page rather than opening an empty one.
 */
export function textPages(bytes: Uint8Array, format: 'text' | 'markdown'): PageContent[] {
  const source = decodeText(bytes).replace(/\r\n?/g, '\n');
  const chunks = source.split('\f');
  if (chunks.length > 1 && (chunks.at(-1) ?? '').trim() === '') chunks.pop();
  return chunks.map((chunk) => {
    if (format === 'markdown') return { text: markdownToText(chunk), markdown: chunk.trim() };
    const text = cleanPlainText(chunk);
    return { text, markdown: text };
  });
}

function cleanPlainText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}
