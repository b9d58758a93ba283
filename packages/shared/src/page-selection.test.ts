import { describe, expect, it } from 'vitest';
import { parseTargetPages, selectionKey, selectPages, selectParsedPages } from './page-selection.js';

describe('target_pages grammar', () => {
  it.each([
    ['1', [{ from: 1, to: 1 }]],
    [
      '1,3,5-7',
      [
        { from: 1, to: 1 },
        { from: 3, to: 3 },
        { from: 5, to: 7 },
      ],
    ],
    [
      ' 2 , 4 - 6 ',
      [
        { from: 2, to: 2 },
        { from: 4, to: 6 },
      ],
    ],
    [
      '8-10,1-3',
      [
        { from: 1, to: 3 },
        { from: 8, to: 10 },
      ],
    ],
    ['5-5', [{ from: 5, to: 5 }]],
  ])('accepts %j', (input, ranges) => {
    expect(parseTargetPages(input)).toEqual({ ok: true, ranges });
  });

  it.each([
    ['', /empty/],
    [',', /empty/],
    ['0', /page 0/],
    ['0-3', /page 0/],
    ['3-1', /reversed/],
    ['1,,2', /not a page number/],
    ['a', /not a page number/],
    ['1-', /not a page number/],
    ['-2', /not a page number/],
    ['1.5', /not a page number/],
    ['1-3,2', /more than once/],
    ['4,4', /more than once/],
    ['2000000', /above/],
  ])('refuses %j', (input, message) => {
    const result = parseTargetPages(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('page selection', () => {
  it('target_pages wins over max_pages', () => {
    expect(selectPages(10, { targetPages: '2,9', maxPages: 1 })).toEqual([2, 9]);
  });
  it('max_pages takes the first pages', () => {
    expect(selectPages(10, { maxPages: 3 })).toEqual([1, 2, 3]);
    expect(selectPages(2, { maxPages: 3 })).toEqual([1, 2]);
  });
  it('no selection reads every page', () => {
    expect(selectPages(4, {})).toEqual([1, 2, 3, 4]);
  });
  it('ignores pages past the end', () => {
    expect(selectPages(3, { targetPages: '2-100' })).toEqual([2, 3]);
    expect(selectPages(3, { targetPages: '7' })).toEqual([]);
  });
  it('gives equal cache keys for equal selections only', () => {
    expect(selectionKey({ targetPages: '3,1-2' })).toBe(selectionKey({ targetPages: ' 1-2 , 3' }));
    expect(selectionKey({ targetPages: '1-3' })).not.toBe(selectionKey({ maxPages: 3 }));
    expect(selectionKey({})).toBe('all');
  });

  it('picks among the pages of an existing parse by page number, or its first max_pages', () => {
    const read = [2, 3, 7].map((page_number) => ({ page_number }));
    const numbers = (selection: Parameters<typeof selectParsedPages>[1]) =>
      selectParsedPages(read, selection).map((p) => p.page_number);
    expect(numbers({ targetPages: '3-9' })).toEqual([3, 7]);
    expect(numbers({ targetPages: '1', maxPages: 2 })).toEqual([]);
    expect(numbers({ maxPages: 2 })).toEqual([2, 3]);
    expect(numbers({})).toEqual([2, 3, 7]);
  });
});
