import type { EvidenceWord } from './evidence.js';

export const MAX_REASONING_LENGTH = 400;
/** Document words are quoted short; rule types (at most 50 characters) are quoted whole. */
const MAX_QUOTED_WORD = 24;

const quote = (text: string, max = MAX_QUOTED_WORD) =>
  JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
const quoteType = (type: string) => quote(type, Number.POSITIVE_INFINITY);

export function describeEvidence(evidence: EvidenceWord[]): string {
  if (evidence.length === 0) return 'its wording is closest overall, though no single word stands out';
  const exact = evidence.filter((e) => !e.near).map((e) => quote(e.word));
  const near = evidence.filter((e) => e.near).map((e) => `${quote(e.word)} (near ${quote(e.near ?? '')})`);
  const parts: string[] = [];
  if (exact.length > 0) parts.push(`the document mentions ${exact.join(', ')}`);
  if (near.length > 0)
    parts.push(
      `${exact.length > 0 ? 'and related words' : 'the document uses related words'} ${near.join(', ')}`,
    );
  return parts.join(' ');
}

export function matchedReasoning(
  type: string,
  score: number,
  comparison: { type: string; score: number } | { neutralScore: number },
  evidence: EvidenceWord[],
): string {
  const against =
    'type' in comparison
      ? `next ${quoteType(comparison.type)} ${comparison.score.toFixed(2)}`
      : `against ${comparison.neutralScore.toFixed(2)} for generic text`;
  return bounded(
    `Matched ${quoteType(type)} (score ${score.toFixed(2)}, ${against}): ${describeEvidence(evidence)}.`,
  );
}

export function nullReasoning(bestType: string, confidence: number, threshold: number): string {
  return bounded(
    `No rule fits well enough: best was ${quoteType(bestType)} at confidence ${confidence.toFixed(2)} ` +
      `(threshold ${threshold}).`,
  );
}

export const NO_TEXT_REASONING =
  'The document has no text to classify (no words were found), so no rule can match.';

function bounded(text: string): string {
  return text.length <= MAX_REASONING_LENGTH ? text : `${text.slice(0, MAX_REASONING_LENGTH - 1)}…`;
}
