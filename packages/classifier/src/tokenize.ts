import { STOP_WORDS } from './stop-words.js';

// Runs of letters (any script) with their combining marks. Digits and punctuation separate
// tokens, so "e-mail" gives "e", "mail" and "INV-2024" gives "inv".
const WORD = /\p{L}[\p{L}\p{M}]*/gu;

/** Lowercased content words of a text, in order, without stop words or one-letter tokens. */
export function contentTokens(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFC').matchAll(WORD)) {
    const token = match[0].toLowerCase();
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    tokens.push(token);
    if (tokens.length >= limit) break;
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
