import { STOP_WORDS } from './stop-words.js';

// Runs of letters (any script) with their combining marks. Digits and punctuation separate
// tokens, so "e-mail" gives "e", "mail" and "INV-2024" gives "inv".
const WORD = /\p{L}[\p{L}\p{M}]*/gu;

// E-mail addresses and web links are read as layout cues (layout-cues.ts); their pieces
// ("gmail", "com", "www") are not words of the text.
const ADDRESS_OR_LINK =
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?:\/\/\S+|\bwww\.\S+|\b[\w-]+\.(?:com|org|net|edu|gov|io)\b\S*/gi;
/** A cheap test first: the full pattern is slow on long texts that have none. */
const MAY_HAVE_ADDRESS_OR_LINK = /@|:\/\/|www\.|\.(?:com|org|net|edu|gov|io)\b/i;

function withoutAddressesOrLinks(text: string): string {
  return MAY_HAVE_ADDRESS_OR_LINK.test(text) ? text.replace(ADDRESS_OR_LINK, ' ') : text;
}

/** Lowercased content words of a text, in order, without stop words or one-letter tokens. */
export function contentTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of withoutAddressesOrLinks(text.normalize('NFC')).matchAll(WORD)) {
    const token = match[0].toLowerCase();
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    tokens.push(token);
  }
  return tokens;
}

/**
 * Words of a rule type name: "medical_report" -> medical, report; "PurchaseOrder" -> purchase,
 * order. Stop words are kept when nothing else is left, so a type is never without words.
 */
export function typeNameTokens(type: string): string[] {
  const spaced = type.replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2').replace(/[_\-./]+/g, ' ');
  const all = [...spaced.normalize('NFC').matchAll(WORD)].map((m) => m[0].toLowerCase());
  const content = all.filter((t) => t.length >= 2 && !STOP_WORDS.has(t));
  return [...new Set(content.length > 0 ? content : all)];
}

// A clause that excludes something ("a cover letter is not a resume", "does not belong here")
// names what the type is not; "rather than" and "instead of" exclude only what follows them.
const NEGATION =
  /\b(?:not|no|never|without|except|excluding|nor|neither|rather than|instead of|unlike|isn't|doesn't|don't|aren't)\b/i;
const CLAUSE_BREAK = /[;:,.()!?]|\s[–—-]\s/;

/**
 * Content words of a rule description, leaving out those of clauses that say what the
 * type is not, so that "a cover letter is not a resume" does not make "letter" evidence.
 */
export function affirmedTokens(description: string): string[] {
  const tokens: string[] = [];
  for (const clause of description.split(CLAUSE_BREAK)) {
    const negation = NEGATION.exec(clause);
    if (!negation) tokens.push(...contentTokens(clause));
    else if (/rather than|instead of/i.test(negation[0]))
      tokens.push(...contentTokens(clause.slice(0, negation.index)));
  }
  return tokens;
}
