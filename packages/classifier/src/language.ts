import { STOP_WORDS_BY_LANGUAGE } from './stop-words.js';

// Letters touching digits are codes ("A4", "DE89 3704", "RE-2026"), not words of a language.
const WORD = /(?<![\p{L}\p{N}]-?)\p{L}+(?!-?[\p{L}\p{N}])/gu;

/** Each function word with the languages whose list has it: one lookup per word of the text. */
const LANGUAGES_BY_WORD = new Map<string, string[]>();
for (const [lang, words] of STOP_WORDS_BY_LANGUAGE)
  for (const word of words) LANGUAGES_BY_WORD.set(word, [...(LANGUAGES_BY_WORD.get(word) ?? []), lang]);
/** Function words are frequent: this many words of a text are enough to tell its language. */
const SAMPLE_WORDS = 3000;
const MIN_HITS = 3;

/**
 * The language of a text by its function words ("the", "und", "le", "się", ...): the language
 * whose stop-word list covers most of its words, or undefined when too few are found to say
 * (numbers-only texts, scripts the lists do not cover). A few microseconds per kilobyte.
 */
export function detectLanguage(texts: readonly string[]): string | undefined {
  const hits = new Map<string, number>();
  let seen = 0;
  for (const text of texts) {
    for (const match of text.matchAll(WORD)) {
      for (const lang of LANGUAGES_BY_WORD.get(match[0].toLowerCase()) ?? [])
        hits.set(lang, (hits.get(lang) ?? 0) + 1);
      if (++seen >= SAMPLE_WORDS) break;
    }
    if (seen >= SAMPLE_WORDS) break;
  }
  let best: string | undefined;
  let most = MIN_HITS - 1;
  for (const [lang, n] of hits) if (n > most) [best, most] = [lang, n];
  return best;
}

/** True when the text is known or found to be in a language other than English. */
export function isForeign(texts: readonly string[], lang?: string): boolean {
  const language = lang?.toLowerCase().slice(0, 2) ?? detectLanguage(texts);
  return language !== undefined && language !== 'en';
}
