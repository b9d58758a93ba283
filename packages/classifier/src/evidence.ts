import type { DocumentProfile } from './document-profile.js';
import type { RuleProfile } from './rule-profile.js';
import type { RuleScorer } from './rule-scores.js';
import { stemOf } from './word-stems.js';

/** Near words below this cosine are too loose to show a user as evidence. */
const NEAR_WORD_EVIDENCE = 0.6;

export interface EvidenceWord {
  /** The word as found in the document, or the name of a layout cue ("date", "field"). */
  word: string;
  /** The rule word it stands in for, when it is a near match rather than the word itself. */
  near?: string;
  /** True for a layout cue (a date, an amount, labelled fields) rather than a word of the text. */
  cue?: boolean;
  /** Pages where the document has it. */
  pages: number[];
  weight: number;
}

/**
 * The document words that did most for a rule: its own words found verbatim (type-name
 * words first), layout cues the rule asks for, then close relatives of missing rule words.
 */
export function evidenceWords(
  rule: RuleProfile,
  document: DocumentProfile,
  scorer: RuleScorer,
  limit: number,
  contrast?: ReadonlyMap<string, number>,
): EvidenceWord[] {
  const typeStems = new Set(rule.typeTerms.map((t) => t.stem));
  const byWord = new Map<string, EvidenceWord>();
  const offer = (candidate: EvidenceWord) => {
    const existing = byWord.get(candidate.word);
    if (!existing || existing.weight < candidate.weight) byWord.set(candidate.word, candidate);
  };
  for (const term of rule.terms) {
    const weight = term.idf * (contrast?.get(term.stem) ?? 1);
    const seen = document.stems.get(term.stem);
    if (seen) {
      const boost = typeStems.has(term.stem) ? 3 : 1;
      const { word, pages, cue } = seen;
      offer({
        word,
        pages,
        ...(cue ? { cue } : {}),
        weight: boost * weight * (seen.count / (seen.count + 1)),
      });
      continue;
    }
    const match = scorer.nearestWord(term);
    if (match && match.similarity >= NEAR_WORD_EVIDENCE) {
      const pages = document.stems.get(stemOf(match.word))?.pages ?? [];
      // A near word is weaker evidence than the word itself.
      offer({ word: match.word, near: term.word, pages, weight: 0.25 * weight * match.similarity });
    }
  }
  return [...byWord.values()].sort((a, b) => b.weight - a.weight).slice(0, limit);
}
