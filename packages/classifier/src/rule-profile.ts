import type { Rule } from '@classifyd/shared';
import { normalise } from './document-profile.js';
import { affirmedTokens, typeNameTokens } from './tokenize.js';
import { stemOf } from './word-stems.js';
import type { WordVectors } from './word-vectors.js';

export interface RuleTerm {
  word: string;
  stem: string;
  row: number;
  idf: number;
}

/** Everything about one rule that scoring reads; depends only on the rule text. */
export interface RuleProfile {
  type: string;
  /** Words of the type name ("medical_report" -> medical, report). */
  typeTerms: RuleTerm[];
  /** Distinct (by stem) content words of the type name and the description. */
  terms: RuleTerm[];
  /** IDF-weighted mean of the terms' vectors, unit length; null when no term is known. */
  meanVector: Float32Array | null;
}

export function ruleTerm(word: string, vectors: WordVectors): RuleTerm {
  const row = vectors.indexOf(word);
  return { word, stem: stemOf(word), row, idf: vectors.idf(row) };
}

export function profileRule(rule: Rule, vectors: WordVectors): RuleProfile {
  const typeWords = typeNameTokens(rule.type);
  const byStem = new Map<string, RuleTerm>();
  for (const word of [...typeWords, ...affirmedTokens(rule.description)]) {
    const term = ruleTerm(word, vectors);
    if (!byStem.has(term.stem)) byStem.set(term.stem, term);
  }
  const terms = [...byStem.values()];
  return {
    type: rule.type,
    typeTerms: typeWords.map((word) => ruleTerm(word, vectors)),
    terms,
    meanVector: meanOf(terms, vectors),
  };
}

export function meanOf(terms: readonly RuleTerm[], vectors: WordVectors): Float32Array | null {
  const { dims, data } = vectors;
  const mean = new Float32Array(dims);
  for (const term of terms) {
    if (term.row < 0) continue;
    const base = term.row * dims;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + term.idf * (data[base + d] as number);
  }
  return normalise(mean);
}

/**
 * How much each word tells this request's rules apart: a word in every rule ("date" in five
 * descriptions) separates none of them, a word in one rule only is kept whole. The weight
 * is log(1 + n / rulesWithWord) / log(1 + n), an IDF computed over the request's rules, so
 * a single rule keeps all its words.
 */
export function contrastWeights(rules: readonly RuleProfile[]): Map<string, number> {
  const rulesWith = new Map<string, number>();
  for (const rule of rules)
    for (const term of rule.terms) rulesWith.set(term.stem, (rulesWith.get(term.stem) ?? 0) + 1);
  const n = rules.length;
  const weights = new Map<string, number>();
  for (const [stem, count] of rulesWith)
    weights.set(stem, n > 1 ? Math.log(1 + n / count) / Math.log(1 + n) : 1);
  return weights;
}
