import { describe, expect, it } from 'vitest';
import { type PdfTextItem, pageTextFromItems } from './pdf-page-text.js';

/** A text run at (x, y) in 10-point type, about 5 points per character wide. */
function run(str: string, x: number, y: number, hasEOL = false): PdfTextItem {
  return { str, transform: [10, 0, 0, 10, x, y], width: str.length * 5, height: 10, hasEOL };
}

describe('pageTextFromItems', () => {
  it('joins runs of one line with a space where there is a visible gap', () => {
    // "Skills" ends at x=30; "Python" starts 4 points later, a word space in 10-point type.
    expect(pageTextFromItems([run('Skills', 0, 700), run('Python', 34, 700)])).toBe('Skills Python');
  });

  it('does not split a word drawn as adjacent runs', () => {
    expect(pageTextFromItems([run('Class', 0, 700), run('ification', 25.3, 700)])).toBe('Classification');
  });

  it('starts a new line when the baseline moves, even without an end-of-line mark', () => {
    const items = [
      run('A', 0, 700),
      run('Opening balance', 20, 700),
      run('B', 0, 686),
      run('Total', 20, 686),
    ];
    expect(pageTextFromItems(items)).toBe('A Opening balance\nB Total');
  });

  it('keeps a superscript on its line', () => {
    expect(pageTextFromItems([run('E = mc', 0, 700), run('2', 30, 703), run(' holds', 35, 700)])).toBe(
      'E = mc2 holds',
    );
  });

  it('ends lines where pdf.js marks them and leaves a blank line before a distant paragraph', () => {
    const items = [
      run('Dear customer,', 0, 700, true),
      { ...run('', 0, 700), hasEOL: true },
      run('thank you.', 0, 686),
      run('Kind regards', 0, 600),
    ];
    expect(pageTextFromItems(items)).toBe('Dear customer,\n\nthank you.\n\nKind regards');
  });

  it('skips marked-content entries and control characters', () => {
    const items = [
      { type: 'beginMarkedContent', id: 'p1' },
      run('Total\u0000 due', 0, 700),
      { type: 'endMarkedContent' },
    ];
    expect(pageTextFromItems(items)).toBe('Total due');
  });

  it('gives an empty string for a page without text', () => {
    expect(pageTextFromItems([])).toBe('');
  });
});
