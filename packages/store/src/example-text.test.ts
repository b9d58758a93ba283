import { EXAMPLE_TEXT_CHARS } from '@classifyd/shared';
import { describe, expect, it } from 'vitest';
import { examplePages } from './example-text.js';

const page = (page_number: number, text: string, success = true) => ({ page_number, text, success });

describe('examplePages', () => {
  it('keeps the pages the parse read and drops the ones it could not', () => {
    const kept = examplePages([page(1, 'first'), page(2, '', false), page(3, 'third')]);
    expect(kept).toEqual([
      { page_number: 1, text: 'first' },
      { page_number: 3, text: 'third' },
    ]);
  });

  it('cuts the text to EXAMPLE_TEXT_CHARS characters across all pages', () => {
    const kept = examplePages([page(1, 'a'.repeat(10_000)), page(2, 'b'.repeat(10_000)), page(3, 'c')]);
    expect(kept.map((p) => p.page_number)).toEqual([1, 2]);
    expect(kept.reduce((n, p) => n + p.text.length, 0)).toBe(EXAMPLE_TEXT_CHARS);
    expect(kept[1]?.text).toBe('b'.repeat(EXAMPLE_TEXT_CHARS - 10_000));
  });

  it('never keeps half of a character made of two code units', () => {
    const kept = examplePages([page(1, `abc${'😀'.repeat(5)}`)], 6);
    expect(kept[0]?.text).toBe('abc😀');
  });
});
