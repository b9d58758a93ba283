import { stemmer } from 'stemmer';

/**
 * The Porter stem of a lowercased word, so "clauses" meets "clause" and "itemised" meets
 * "itemises". Used for verbatim matching only; word vectors keep the surface form.
 */
export function stemOf(word: string): string {
  return stemmer(word);
}
