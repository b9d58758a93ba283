import { describe, expect, it } from 'vitest';
import { MAX_REASONING_LENGTH, matchedReasoning, nullReasoning } from './reasoning.js';

describe('reasoning', () => {
  it('names the winner, the runner-up and the evidence', () => {
    const text = matchedReasoning('invoice', 4.4, { type: 'receipt', score: 2.1 }, [
      { word: 'invoice', weight: 3 },
      { word: 'bill', near: 'invoice', weight: 1 },
    ]);
    expect(text).toBe(
      'Matched "invoice" (score 4.40, next "receipt" 2.10): the document mentions "invoice" and related words "bill" (near "invoice").',
    );
  });

  it('compares a single rule with generic text', () => {
    const text = matchedReasoning('invoice', 4.4, { neutralScore: 1.2 }, []);
    expect(text).toContain('against 1.20 for generic text');
    expect(text).toContain('no single word stands out');
  });

  it('says why the answer is null', () => {
    expect(nullReasoning('x', 0.31, 0.5)).toBe(
      'No rule fits well enough: best was "x" at confidence 0.31 (threshold 0.5).',
    );
  });

  it('stays within its length bound and shortens long words', () => {
    const type = 't'.repeat(50);
    const evidence = Array.from({ length: 5 }, (_, i) => ({
      word: `${'w'.repeat(80)}${i}`,
      near: 'z'.repeat(80),
      weight: 1,
    }));
    const text = matchedReasoning(type, 1, { type, score: 0.5 }, evidence);
    expect(text.length).toBeLessThanOrEqual(MAX_REASONING_LENGTH);
    expect(text).not.toContain('w'.repeat(30));
  });
});
