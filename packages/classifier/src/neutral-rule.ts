import { meanOf, type RuleProfile, type RuleTerm, ruleTerm } from './rule-profile.js';
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
    terms.push(ruleTerm(common[i] as string, vectors));
  }
  return { type: '(neutral)', typeTerms: terms, terms, meanVector: meanOf(terms, vectors) };
}
