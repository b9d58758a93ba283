import { describe, expect, it } from 'vitest';
import { contrastWeights, type RuleProfile, type RuleTerm } from './rule-profile.js';

const term = (word: string): RuleTerm => ({ word, stem: word, row: -1, idf: 1 });
const rule = (type: string, words: string[]): RuleProfile => ({
  type,
  typeTerms: [term(type)],
  terms: words.map(term),
  meanVector: null,
});

describe('contrastWeights', () => {
  it('weighs words by how few of the rules use them', () => {
    const weights = contrastWeights([
      rule('invoice', ['invoice', 'date', 'total']),
      rule('letter', ['letter', 'date', 'salutation']),
      rule('memo', ['memo', 'date', 'total']),
    ]);
    expect(weights.get('invoice')).toBe(1);
    expect(weights.get('date')).toBeLessThan(weights.get('total') as number);
    expect(weights.get('total')).toBeLessThan(1);
    expect(weights.get('date')).toBeGreaterThan(0);
  });

  it('keeps every word whole for a single rule', () => {
    const weights = contrastWeights([rule('invoice', ['invoice', 'date'])]);
    expect([...weights.values()]).toEqual([1, 1]);
  });
});
