/**
 * `target_pages` grammar: comma-separated 1-based page numbers or inclusive ranges,
 * e.g. "1,3,5-7". Kept as ranges so that "1-1000000" costs nothing until it meets a
 * document with a page count.
 */
export interface PageRange {
  from: number;
  to: number;
}

export interface PageSelection {
  targetPages?: string | null | undefined;
  maxPages?: number | null | undefined;
}

const RANGE = /^(\d+)(?:\s*-\s*(\d+))?$/;
/** The largest page number a selection may name; no document has more pages. */
export const MAX_PAGE_NUMBER = 1_000_000;

export type TargetPagesResult = { ok: true; ranges: PageRange[] } | { ok: false; error: string };

export function parseTargetPages(input: string): TargetPagesResult {
  const tokens = input.split(',').map((t) => t.trim());
  if (tokens.length === 0 || tokens.every((t) => t === '')) {
    return { ok: false, error: 'target_pages is empty; give page numbers or ranges such as "1,3,5-7"' };
  }
  const ranges: PageRange[] = [];
  for (const token of tokens) {
    const match = RANGE.exec(token);
    if (!match) {
      return { ok: false, error: `"${token}" is not a page number or a range such as "5-7"` };
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to < 1) return { ok: false, error: 'pages are numbered from 1; page 0 does not exist' };
    if (from > MAX_PAGE_NUMBER || to > MAX_PAGE_NUMBER) {
      return { ok: false, error: `page numbers above ${MAX_PAGE_NUMBER} are not supported` };
    }
    if (to < from) return { ok: false, error: `range "${token}" is reversed; write it as "${to}-${from}"` };
    ranges.push({ from, to });
  }
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as PageRange;
    const cur = sorted[i] as PageRange;
    if (cur.from <= prev.to) return { ok: false, error: `page ${cur.from} is selected more than once` };
  }
  return { ok: true, ranges: sorted };
}

/**
 * How many pages a selection asks for at the most, whatever the document; null when it
 * names no limit (the reader's default then applies). A malformed target_pages counts 0:
 * its own check reports it.
 */
export function selectedPageCount(selection: PageSelection): number | null {
  if (selection.targetPages) {
    const parsed = parseTargetPages(selection.targetPages);
    return parsed.ok ? parsed.ranges.reduce((sum, r) => sum + r.to - r.from + 1, 0) : 0;
  }
  return selection.maxPages ?? null;
}

/**
 * The 1-based pages to read from a document of `pageCount` pages. target_pages wins
 * over max_pages; pages past the end of the document are ignored.
 */
export function selectPages(pageCount: number, selection: PageSelection): number[] {
  const pages: number[] = [];
  if (selection.targetPages) {
    const parsed = parseTargetPages(selection.targetPages);
    if (!parsed.ok) throw new Error(parsed.error);
    for (const { from, to } of parsed.ranges) {
      for (let p = from; p <= Math.min(to, pageCount); p++) pages.push(p);
    }
    return pages;
  }
  const limit = selection.maxPages ? Math.min(selection.maxPages, pageCount) : pageCount;
  for (let p = 1; p <= limit; p++) pages.push(p);
  return pages;
}

/**
 * The pages of an existing parse that a selection keeps: target_pages by page number,
 * else the first max_pages of them. For a classify job that reads a parse job's output.
 */
export function selectParsedPages<T extends { page_number: number }>(
  pages: T[],
  selection: PageSelection,
): T[] {
  if (selection.targetPages) {
    const parsed = parseTargetPages(selection.targetPages);
    if (!parsed.ok) throw new Error(parsed.error);
    return pages.filter((p) => parsed.ranges.some((r) => p.page_number >= r.from && p.page_number <= r.to));
  }
  return selection.maxPages ? pages.slice(0, selection.maxPages) : pages;
}

/** A stable text form of a selection, for cache keys: equal selections give equal keys. */
export function selectionKey(selection: PageSelection): string {
  if (selection.targetPages) {
    const parsed = parseTargetPages(selection.targetPages);
    if (parsed.ok) return `t:${parsed.ranges.map((r) => `${r.from}-${r.to}`).join(',')}`;
  }
  return selection.maxPages ? `m:${selection.maxPages}` : 'all';
}

/**
 * The parse cache key within a project: same bytes, same pages, same language give the same
 * text, so a parse job with this key can stand in for any other with it.
 */
export function parseCacheKey(sha256: string, selection: PageSelection & { lang: string }): string {
  return [sha256, selectionKey(selection), selection.lang].join(':');
}
