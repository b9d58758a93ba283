import type { Rule } from '@classifyd/shared';
import { normalise } from './document-profile.js';
import { contentTokens, typeNameTokens } from './tokenize.js';
import type { WordVectors } from './word-vectors.js';

export interface RuleTerm {
  word: string;
  row: number;
  idf: number;
}

/** Everything about one rule that scoring reads; depends only on the rule text. */
export interface RuleProfile {
  type: string;
  /** Words of the type name ("medical_report" -> medical, report). */
  typeTerms: RuleTerm[];
  /** Distinct content words of the type name and the description. */
  terms: RuleTerm[];
  termIdfSum: number;
  /** tf-idf weight per word over the type name and the description, and its norm. */
  tfidf: Map<string, number>;
  tfidfNorm: number;
  meanVector: Float32Array | null;
}

export function profileRule(rule: Rule, vectors: WordVectors): RuleProfile {
  const typeWords = typeNameTokens(rule.type);
  const allWords = [...typeWords, ...contentTokens(rule.description)];
  const toTerm = (word: string): RuleTerm => {
    const row = vectors.indexOf(word);
    return { word, row, idf: vectors.idf(row) };
  };

  const counts = new Map<string, number>();
  for (const word of allWords) counts.set(word, (counts.get(word) ?? 0) + 1);
  const terms = [...counts.keys()].map(toTerm);

  const tfidf = new Map<string, number>();
  let squares = 0;
  const mean = new Float32Array(vectors.dims);
  for (const term of terms) {
    const count = counts.get(term.word) ?? 1;
    const weight = count * term.idf;
    tfidf.set(term.word, weight);
    squares += weight * weight;
    if (term.row < 0) continue;
    const base = term.row * vectors.dims;
    for (let d = 0; d < vectors.dims; d++) {
      mean[d] = (mean[d] as number) + term.idf * (vectors.data[base + d] as number);
    }
  }

  return {
    type: rule.type,
    typeTerms: typeWords.map(toTerm),
    terms,
    termIdfSum: terms.reduce((sum, t) => sum + t.idf, 0),
    tfidf,
    tfidfNorm: Math.sqrt(squares),
    meanVector: normalise(mean),
  };
}
