import { describe, expect, it } from 'vitest';
import { describePages, MAX_REASONING_LENGTH, matchedReasoning, nullReasoning } from './reasoning.js';

describe('reasoning', () => {
  it('names the winner, the runner-up and the evidence', () => {
    const text = matchedReasoning('invoice', 4.4, { type: 'receipt', score: 2.1 }, [
      { word: 'invoice', pages: [1], weight: 3 },
      { word: 'amount', cue: true, pages: [1, 2], weight: 2 },
      { word: 'bill', near: 'invoice', pages: [2], weight: 1 },
    ]);
    expect(text).toBe(
      'Matched "invoice" (score 4.40, next "receipt" 2.10): the document mentions "invoice" (p. 1); ' +
        'related words "bill" (near "invoice", p. 2); its layout shows money amounts (pp. 1, 2).',
    );
  });

  it('compares a single rule with generic text', () => {
    const text = matchedReasoning('invoice', 4.4, { neutralScore: 1.2 }, []);
    expect(text).toContain('against 1.20 for generic text');
    expect(text).toContain('no single word stands out');
  });

  it('lists a few pages and counts the rest', () => {
    expect(describePages([])).toBe('');
    expect(describePages([4])).toBe('p. 4');
    expect(describePages([1, 2, 5, 7, 9])).toBe('pp. 1, 2, 5 and 2 more');
  });

  it('never shows a confidence just under the threshold as equal to it', () => {
    expect(nullReasoning('x', 0.4996, 0.4, 0.5)).toContain('at confidence 0.49, below the threshold 0.5');
  });

  it('says why the answer is null and what the best rule had', () => {
    expect(nullReasoning('x', 0.31, 0.6, 0.5)).toBe(
      'No rule fits well enough: best was "x" at confidence 0.31, below the threshold 0.5; no rule fits with confidence 0.60.',
    );
    expect(nullReasoning('x', 0.31, 0.6, 0.4, [{ word: 'total', pages: [2], weight: 1 }])).toBe(
      'No rule fits well enough: best was "x" at confidence 0.31, below the threshold 0.4; no rule fits with confidence 0.60. For it, the document mentions "total" (p. 2).',
    );
  });

  it('stays within its length bound and shortens long words', () => {
    const type = 't'.repeat(50);
    const evidence = Array.from({ length: 5 }, (_, i) => ({
      word: `${'w'.repeat(80)}${i}`,
      near: 'z'.repeat(80),
      pages: [i + 1],
      weight: 1,
    }));
    const text = matchedReasoning(type, 1, { type, score: 0.5 }, evidence);
    expect(text.length).toBeLessThanOrEqual(MAX_REASONING_LENGTH);
    expect(text).not.toContain('w'.repeat(30));
  });
});
