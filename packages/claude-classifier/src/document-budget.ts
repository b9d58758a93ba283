import { charsPerToken, estimateTokens } from './token-estimate.js';

export interface DocumentPage {
  page_number: number;
  text: string;
}

export interface RenderedDocument {
  /** Pages as `<page number="N">` blocks, with markers wherever text was left out. */
  text: string;
  estimatedTokens: number;
  /** The estimate for the whole document, before any reduction. */
  originalEstimatedTokens: number;
  reduced: boolean;
  omittedCharacters: number;
  pages: { whole: number; excerpted: number; omitted: number };
}

/** `<page number="123">`, `</page>` and newlines. */
const PAGE_OVERHEAD_TOKENS = 12;
/** `[pages 123-4567: 1234567 characters omitted]`, generously. */
const MARKER_TOKENS = 18;
/** Less than this is not worth showing: a page gets an excerpt of at least this size, or joins a gap. */
const MIN_EXCERPT_TOKENS = 60;
/** The opening pages (title, letterhead, first headings) say most about a document's type. */
const WHOLE_HEAD_SHARE = 0.5;
/** An excerpt keeps more of a page's start than of its end. */
const HEAD_FRACTION = 2 / 3;
/** How far a cut may move to land on whitespace instead of mid-word. */
const SNAP_FRACTION = 0.2;
const MAX_PLANS = 10;

export const omittedMarker = (page: number, chars: number) => `[page ${page}: ${chars} characters omitted]`;
const omittedRangeMarker = (first: number, last: number, chars: number) =>
  `[pages ${first}-${last}: ${chars} characters omitted]`;
const pageBlock = (page: number, body: string) => `<page number="${page}">\n${body}\n</page>`;
const pageCost = (text: string) => estimateTokens(text) + PAGE_OVERHEAD_TOKENS;

const isLowSurrogate = (text: string, at: number) => {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
};

/** The first `length` characters, ending on whitespace when one is near, never inside a surrogate pair. */
function cutHead(text: string, length: number): string {
  let end = Math.min(length, text.length);
  const snapped = text.slice(0, end).search(/\s\S*$/);
  if (snapped >= end * (1 - SNAP_FRACTION)) end = snapped;
  if (end > 0 && isLowSurrogate(text, end)) end--;
  return text.slice(0, end).trimEnd();
}

/** The last `length` characters, starting after whitespace when one is near. */
function cutTail(text: string, length: number): string {
  let start = Math.max(text.length - length, 0);
  const gap = text.slice(start).search(/\s/);
  if (gap >= 0 && gap <= length * SNAP_FRACTION) start += gap;
  if (isLowSurrogate(text, start)) start++;
  return text.slice(start).trimStart();
}

interface Excerpt {
  body: string;
  omitted: number;
}

/** Head and tail of a page within `tokens`, with a marker saying how much of the middle is gone. */
function excerpt(page: DocumentPage, tokens: number): Excerpt {
  const allowed = Math.floor(Math.max(tokens, 0) * charsPerToken(page.text));
  const head = cutHead(page.text, Math.floor(allowed * HEAD_FRACTION));
  const tail = cutTail(page.text, allowed - Math.floor(allowed * HEAD_FRACTION));
  const omitted = page.text.length - head.length - tail.length;
  const marker = omittedMarker(page.page_number, omitted);
  return { body: [head, marker, tail].filter(Boolean).join('\n'), omitted };
}

interface Plan {
  text: string;
  omittedCharacters: number;
  pages: RenderedDocument['pages'];
}

/** One reduction of `pages` aimed at `budget` tokens. */
function plan(pages: DocumentPage[], budget: number): Plan {
  const blocks: string[] = [];
  const counts = { whole: 0, excerpted: 0, omitted: 0 };
  let omittedCharacters = 0;
  let used = 0;
  let first = 0;
  for (; first < pages.length; first++) {
    const page = pages[first] as DocumentPage;
    const cost = pageCost(page.text);
    if (used + cost > budget * WHOLE_HEAD_SHARE) break;
    blocks.push(pageBlock(page.page_number, page.text));
    used += cost;
    counts.whole++;
  }

  const rest = pages.slice(first);
  let left = budget - used;
  const slot = MIN_EXCERPT_TOKENS + PAGE_OVERHEAD_TOKENS + MARKER_TOKENS;
  let head = rest;
  let tail: DocumentPage[] = [];
  let gap: DocumentPage[] = [];
  if (rest.length * slot > left) {
    // Too many pages for even a short excerpt each: show the first and last of them, one marker between.
    left -= MARKER_TOKENS;
    const capacity = Math.max(0, Math.floor(left / slot));
    const headCount = Math.ceil(capacity / 2);
    head = rest.slice(0, headCount);
    tail = rest.slice(rest.length - (capacity - headCount));
    gap = rest.slice(headCount, rest.length - tail.length);
  }

  let pending = head.length + tail.length;
  const place = (page: DocumentPage) => {
    const share = Math.floor(left / pending--);
    const cost = pageCost(page.text);
    if (cost <= share) {
      blocks.push(pageBlock(page.page_number, page.text));
      left -= cost;
      counts.whole++;
      return;
    }
    const cut = excerpt(page, share - PAGE_OVERHEAD_TOKENS - MARKER_TOKENS);
    blocks.push(pageBlock(page.page_number, cut.body));
    left -= share;
    omittedCharacters += cut.omitted;
    counts.excerpted++;
  };
  head.forEach(place);
  if (gap.length > 0) {
    const chars = gap.reduce((sum, page) => sum + page.text.length, 0);
    const firstGap = (gap[0] as DocumentPage).page_number;
    const lastGap = (gap[gap.length - 1] as DocumentPage).page_number;
    blocks.push(
      firstGap === lastGap ? omittedMarker(firstGap, chars) : omittedRangeMarker(firstGap, lastGap, chars),
    );
    omittedCharacters += chars;
    counts.omitted += gap.length;
  }
  tail.forEach(place);
  return { text: blocks.join('\n'), omittedCharacters, pages: counts };
}

/**
 * The document as page blocks within about `maxTokens` estimated tokens. It fits as is, or: the first
 * pages whole (up to half the budget), then the remaining pages share the rest, each whole when it fits
 * its share and otherwise cut to head and tail; when there are too many pages for that, the middle ones
 * are left out as one range. Every cut leaves a marker such as `[page 7: 1200 characters omitted]`.
 */
export function renderDocument(pages: DocumentPage[], maxTokens: number): RenderedDocument {
  const cleaned = pages.map((page) => ({ page_number: page.page_number, text: page.text.trim() }));
  const full = cleaned.map((page) => pageBlock(page.page_number, page.text)).join('\n');
  const originalEstimatedTokens = estimateTokens(full);
  const none = { whole: cleaned.length, excerpted: 0, omitted: 0 };
  if (originalEstimatedTokens <= maxTokens) {
    return {
      text: full,
      estimatedTokens: originalEstimatedTokens,
      originalEstimatedTokens,
      reduced: false,
      omittedCharacters: 0,
      pages: none,
    };
  }
  // Per-page estimates do not add up exactly to the estimate of the joined text: aim lower until it fits.
  let budget = maxTokens;
  let best = plan(cleaned, budget);
  for (let attempt = 1; attempt < MAX_PLANS && estimateTokens(best.text) > maxTokens; attempt++) {
    budget = Math.floor(budget * 0.9);
    best = plan(cleaned, budget);
  }
  return { ...best, estimatedTokens: estimateTokens(best.text), originalEstimatedTokens, reduced: true };
}
