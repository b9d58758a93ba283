import { EXAMPLE_TEXT_CHARS, type ParsedPage } from '@classifyd/shared';

/** Whether a UTF-16 code unit opens a surrogate pair (the first half of an emoji, say). */
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The first `limit` code units of `text`, never ending in half a character. */
function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const end = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return text.slice(0, end);
}

/**
 * What an example keeps of its document: the pages the parse read, in order, cut to
 * EXAMPLE_TEXT_CHARS characters in all, so that 10,000 examples stay a bounded size in Redis.
 */
export function examplePages(
  pages: readonly Pick<ParsedPage, 'page_number' | 'text' | 'success'>[],
  limit: number = EXAMPLE_TEXT_CHARS,
): { page_number: number; text: string }[] {
  const kept: { page_number: number; text: string }[] = [];
  let left = limit;
  for (const page of pages) {
    if (!page.success) continue;
    if (left <= 0) break;
    const text = cutText(page.text, left);
    kept.push({ page_number: page.page_number, text });
    left -= text.length;
  }
  return kept;
}
