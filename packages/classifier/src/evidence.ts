import type { DocumentProfile } from './document-profile.js';
import type { RuleProfile } from './rule-profile.js';
import type { RuleScorer } from './rule-scores.js';

/** Near words below this cosine are too loose to show a user as evidence. */
const NEAR_WORD_EVIDENCE = 0.6;

export interface EvidenceWord {
  /** The word as found in the document. */
  word: string;
  /** The rule word it stands in for, when it is a near match rather than the word itself. */
  near?: string;
  weight: number;
}

/**
 * The document words that did most for a rule: its own words found verbatim (type-name
 * words first), then close relatives of missing rule words.
 */
export function evidenceWords(
  rule: RuleProfile,
  document: DocumentProfile,
  scorer: RuleScorer,
  limit: number,
): EvidenceWord[] {
  const typeWords = new Set(rule.typeTerms.map((t) => t.word));
  const byWord = new Map<string, EvidenceWord>();
  const offer = (candidate: EvidenceWord) => {
    const existing = byWord.get(candidate.word);
    if (!existing || existing.weight < candidate.weight) byWord.set(candidate.word, candidate);
  };
  for (const term of rule.terms) {
    const count = document.terms.get(term.word)?.count ?? 0;
    if (count > 0) {
      const boost = typeWords.has(term.word) ? 3 : 1;
      offer({ word: term.word, weight: boost * term.idf * (count / (count + 1)) });
      continue;
    }
    const match = scorer.nearestWord(term);
    if (match && match.similarity >= NEAR_WORD_EVIDENCE) {
      // A near word is weaker evidence than the word itself.
      offer({ word: match.word, near: term.word, weight: 0.25 * term.idf * match.similarity });
    }
  }
  return [...byWord.values()].sort((a, b) => b.weight - a.weight).slice(0, limit);
}
