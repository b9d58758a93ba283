import { describe, expect, it } from 'vitest';
import { type DocumentPage, renderDocument } from './document-budget.js';
import { estimateTokens } from './token-estimate.js';

const words = (count: number, seed: string) =>
  Array.from({ length: count }, (_, i) => `${seed}${i % 97}`).join(' ');
const pagesOf = (count: number, wordsPerPage: number): DocumentPage[] =>
  Array.from({ length: count }, (_, i) => ({ page_number: i + 1, text: words(wordsPerPage, `p${i + 1}w`) }));

/** The numbers in every `[page N: X characters omitted]` / `[pages A-B: X ...]` marker. */
const markerTotals = (text: string) =>
  [...text.matchAll(/\[pages? [\d-]+: (\d+) characters omitted\]/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
const pageNumbersShown = (text: string) =>
  [...text.matchAll(/<page number="(\d+)">/g)].map((match) => Number(match[1]));

describe('estimateTokens', () => {
  it('counts nothing for empty text and more per character for CJK than for ASCII', () => {
    expect(estimateTokens('')).toBe(0);
    const ascii = estimateTokens('a'.repeat(1000));
    expect(ascii).toBeGreaterThanOrEqual(250);
    expect(ascii).toBeLessThanOrEqual(350);
    expect(estimateTokens('請'.repeat(1000))).toBeGreaterThanOrEqual(1000);
    expect(estimateTokens('привет'.repeat(100))).toBeGreaterThan(estimateTokens('privet'.repeat(100)));
  });
});

describe('renderDocument', () => {
  it('keeps a document that fits exactly as it is, page by page', () => {
    const pages = [
      { page_number: 1, text: '  Invoice 42\nTotal: 10 EUR  ' },
      { page_number: 2, text: 'Thank you' },
    ];
    const rendered = renderDocument(pages, 24_000);
    expect(rendered.reduced).toBe(false);
    expect(rendered.omittedCharacters).toBe(0);
    expect(rendered.text).toBe(
      '<page number="1">\nInvoice 42\nTotal: 10 EUR\n</page>\n<page number="2">\nThank you\n</page>',
    );
    expect(rendered.pages).toEqual({ whole: 2, excerpted: 0, omitted: 0 });
  });

  it('keeps the first pages whole and cuts later ones to head and tail within the budget', () => {
    const pages = pagesOf(40, 400);
    const rendered = renderDocument(pages, 4000);
    expect(rendered.reduced).toBe(true);
    expect(rendered.originalEstimatedTokens).toBeGreaterThan(4000);
    expect(estimateTokens(rendered.text)).toBeLessThanOrEqual(4000);
    expect(rendered.estimatedTokens).toBe(estimateTokens(rendered.text));
    // Page 1 is there in full.
    expect(rendered.text).toContain(`<page number="1">\n${(pages[0] as DocumentPage).text}\n</page>`);
    expect(rendered.pages.whole).toBeGreaterThanOrEqual(1);
    expect(rendered.pages.excerpted + rendered.pages.omitted).toBeGreaterThan(0);
    expect(rendered.pages.whole + rendered.pages.excerpted + rendered.pages.omitted).toBe(40);
    // Every omission is announced, and the announced counts add up.
    expect(markerTotals(rendered.text)).toBe(rendered.omittedCharacters);
    expect(rendered.omittedCharacters).toBeGreaterThan(0);
  });

  it('shows the start and the end of an excerpted page, cut between words', () => {
    const text = words(5000, 'w');
    const rendered = renderDocument([{ page_number: 1, text }], 1000);
    expect(estimateTokens(rendered.text)).toBeLessThanOrEqual(1000);
    const body = rendered.text.replace(/^<page number="1">\n/, '').replace(/\n<\/page>$/, '');
    const [head, marker, tail] = body.split('\n');
    expect(marker).toMatch(/^\[page 1: \d+ characters omitted\]$/);
    expect(text.startsWith(head as string)).toBe(true);
    expect(text.endsWith(tail as string)).toBe(true);
    // Whole words only: the head ends and the tail starts where the text has a space.
    expect(text[(head as string).length]).toBe(' ');
    expect(text[text.length - (tail as string).length - 1]).toBe(' ');
    expect((head as string).length).toBeGreaterThan((tail as string).length);
    expect((head as string).length + (tail as string).length + rendered.omittedCharacters).toBe(text.length);
  });

  it('leaves out a middle range of pages with one marker when there are too many pages', () => {
    const pages = pagesOf(3000, 60);
    const rendered = renderDocument(pages, 2000);
    expect(estimateTokens(rendered.text)).toBeLessThanOrEqual(2000);
    expect(rendered.text).toMatch(/\[pages \d+-\d+: \d+ characters omitted\]/);
    const shown = pageNumbersShown(rendered.text);
    expect(shown[0]).toBe(1);
    expect(shown.at(-1)).toBe(3000);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(rendered.pages.omitted).toBeGreaterThan(2000);
    expect(markerTotals(rendered.text)).toBe(rendered.omittedCharacters);
  });

  it('stays within the budget for CJK text, whose tokens are denser', () => {
    const pages = Array.from({ length: 12 }, (_, i) => ({
      page_number: i + 1,
      text: '請求書の合計金額は一万円です。'.repeat(300),
    }));
    const rendered = renderDocument(pages, 3000);
    expect(rendered.reduced).toBe(true);
    expect(estimateTokens(rendered.text)).toBeLessThanOrEqual(3000);
    expect(markerTotals(rendered.text)).toBe(rendered.omittedCharacters);
  });

  it('never splits a surrogate pair at a cut', () => {
    const rendered = renderDocument([{ page_number: 1, text: '😀'.repeat(20_000) }], 1000);
    expect(rendered.text).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });
});
