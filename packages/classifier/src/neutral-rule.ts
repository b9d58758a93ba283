import { normalise } from './document-profile.js';
import type { RuleProfile, RuleTerm } from './rule-profile.js';
import { STOP_WORDS } from './stop-words.js';
import type { WordVectors } from './word-vectors.js';

const NEUTRAL_WORDS = 100;
const RANK_SPAN = 4000;

/**
 * A stand-in rule made of ordinary English words spread over the 4,000 most frequent content
 * words. How well a document matches it says how much any rule would match that document by
 * chance (long, varied texts match everything a little), which is the baseline a single rule
 * has to beat, since it has no competitors to be compared with.
 */
export function neutralRule(vectors: WordVectors): RuleProfile {
  const common = vectors.words.filter((w) => w.length >= 2 && !STOP_WORDS.has(w)).slice(0, RANK_SPAN);
  const step = Math.max(1, Math.floor(common.length / NEUTRAL_WORDS));
  const terms: RuleTerm[] = [];
  for (let i = Math.floor(step / 2); i < common.length && terms.length < NEUTRAL_WORDS; i += step) {
    const word = common[i] as string;
    const row = vectors.indexOf(word);
    terms.push({ word, row, idf: vectors.idf(row) });
  }
  const tfidf = new Map(terms.map((t) => [t.word, t.idf]));
  const mean = new Float32Array(vectors.dims);
  for (const t of terms) {
    for (let d = 0; d < vectors.dims; d++) {
      mean[d] = (mean[d] as number) + t.idf * (vectors.data[t.row * vectors.dims + d] as number);
    }
  }
  return {
    type: '(neutral)',
    typeTerms: terms,
    terms,
    termIdfSum: terms.reduce((s, t) => s + t.idf, 0),
    tfidf,
    tfidfNorm: Math.sqrt(terms.reduce((s, t) => s + t.idf * t.idf, 0)),
    meanVector: normalise(mean),
  };
}
