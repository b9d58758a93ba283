import type { EvidenceWord } from './evidence.js';

export const MAX_REASONING_LENGTH = 400;
/** Document words are quoted short; rule types (at most 50 characters) are quoted whole. */
const MAX_QUOTED_WORD = 24;
const MAX_PAGES_LISTED = 3;

const quote = (text: string, max = MAX_QUOTED_WORD) =>
  JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
const quoteType = (type: string) => quote(type, Number.POSITIVE_INFINITY);

/** "p. 2", "pp. 1, 3, 4", "pp. 1, 2, 3 and 5 more"; empty when unknown. */
export function describePages(pages: readonly number[]): string {
  if (pages.length === 0) return '';
  if (pages.length === 1) return `p. ${pages[0]}`;
  const listed = pages.slice(0, MAX_PAGES_LISTED).join(', ');
  const more = pages.length - MAX_PAGES_LISTED;
  return `pp. ${listed}${more > 0 ? ` and ${more} more` : ''}`;
}

/** How a layout cue is named to a user. */
const CUE_NAMES: Readonly<Record<string, string>> = {
  date: 'dates',
  period: 'date ranges',
  time: 'times of day',
  amount: 'money amounts',
  price: 'money amounts',
  percentage: 'percentages',
  address: 'e-mail addresses',
  web: 'web links',
  link: 'web links',
  phone: 'phone numbers',
  contact: 'contact details',
  checkbox: 'check boxes',
  box: 'check boxes',
  blank: 'blanks to fill in',
  fill: 'blanks to fill in',
  citation: 'citations',
  reference: 'citations',
  quote: 'quotations',
  quotation: 'quotations',
  signature: 'a signature or closing line',
  field: 'fields to fill in',
  label: 'labelled values',
  numbered: 'numbered sections',
  section: 'numbered sections',
  bullet: 'bullet points',
  list: 'bullet points',
  salutation: 'a salutation',
  greeting: 'a salutation',
  closing: 'a closing formula',
  paragraph: 'prose paragraphs',
  prose: 'prose paragraphs',
  header: 'header lines',
  headers: 'header lines',
  headline: 'a headline',
  title: 'a headline',
  narrow: 'narrow lines',
};

const where = (e: EvidenceWord) => (e.pages.length > 0 ? `, ${describePages(e.pages)}` : '');
const onPages = (e: EvidenceWord) => (e.pages.length > 0 ? ` (${describePages(e.pages)})` : '');

export function describeEvidence(evidence: EvidenceWord[]): string {
  if (evidence.length === 0) return 'its wording is closest overall, though no single word stands out';
  const exact = evidence.filter((e) => !e.near && !e.cue).map((e) => `${quote(e.word)}${onPages(e)}`);
  const cues = evidence.filter((e) => e.cue).map((e) => `${CUE_NAMES[e.word] ?? e.word}${onPages(e)}`);
  const near = evidence
    .filter((e) => e.near)
    .map((e) => `${quote(e.word)} (near ${quote(e.near ?? '')}${where(e)})`);
  const parts: string[] = [];
  if (exact.length > 0) parts.push(`the document mentions ${exact.join(', ')}`);
  if (near.length > 0)
    parts.push(
      `${parts.length > 0 ? 'related words' : 'the document uses related words'} ${near.join(', ')}`,
    );
  if (cues.length > 0) parts.push(`its layout shows ${cues.join(', ')}`);
  return parts.join('; ');
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

export function nullReasoning(
  bestType: string,
  matchConfidence: number,
  nullConfidence: number,
  threshold: number,
  evidence: EvidenceWord[] = [],
): string {
  const found = evidence.length > 0 ? ` For it, ${describeEvidence(evidence)}.` : '';
  // Rounded down, so that 0.497 reads 0.49 and not "0.50, below the threshold 0.5".
  const shown = (Math.floor(matchConfidence * 100 + 1e-9) / 100).toFixed(2);
  return bounded(
    `No rule fits well enough: best was ${quoteType(bestType)} at confidence ${shown}, ` +
      `below the threshold ${threshold}; no rule fits with confidence ${nullConfidence.toFixed(2)}.${found}`,
  );
}

/**
 * Why an answer was given with examples: which of the closest examples share it, one of
 * them by file name, and the rule words that back it.
 */
export function examplesReasoning(
  type: string | null,
  nearest: readonly { type: string | null; name: string; similarity: number }[],
  evidence: EvidenceWord[],
): string {
  const agreeing = nearest.filter((e) => e.type === type);
  const words = evidence.length > 0 ? `; ${describeEvidence(evidence)}` : '';
  const closest = nearest[0];
  if (type === null) {
    if (agreeing.length > 0 && agreeing[0]) {
      return bounded(
        `No rule fits: closest to ${plural(agreeing.length, 'example')} that fit none of the rules, ` +
          `e.g. file ${quote(agreeing[0].name, MAX_QUOTED_NAME)}.`,
      );
    }
    const near = closest
      ? ` (nearest: an example of ${quoteType(closest.type ?? 'none')}, file ${quote(closest.name, MAX_QUOTED_NAME)}, similarity ${closest.similarity.toFixed(2)})`
      : '';
    return bounded(`No rule fits: the document is far from the examples of every type${near}.`);
  }
  if (agreeing.length === 0 || !agreeing[0]) {
    return bounded(
      `Matched ${quoteType(type)} by its rule; none of the ${plural(nearest.length, 'closest example')} is of that type${words}.`,
    );
  }
  return bounded(
    `Matched ${quoteType(type)}: closest to ${plural(agreeing.length, 'example')} of ${quoteType(type)} ` +
      `among the ${nearest.length} nearest, e.g. file ${quote(agreeing[0].name, MAX_QUOTED_NAME)}${words}.`,
  );
}

/** File names are the user's own; they are quoted longer than document words. */
const MAX_QUOTED_NAME = 60;
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const NO_TEXT_REASONING =
  'The document has no text to classify (no words were found), so no rule can match.';

function bounded(text: string): string {
  return text.length <= MAX_REASONING_LENGTH ? text : `${text.slice(0, MAX_REASONING_LENGTH - 1)}…`;
}
