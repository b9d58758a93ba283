import { stemmer } from 'stemmer';

/** Stems are memoised: the same few thousand words come back in every document. */
const MAX_MEMOISED_STEMS = 100_000;
const stems = new Map<string, string>();

/**
 * The Porter stem of a lowercased word, so "clauses" meets "clause" and "itemised" meets
 * "itemises". Used for verbatim matching only; word vectors keep the surface form.
 */
export function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    // Dropping the lot when full keeps memory bounded against texts of endless new words.
    if (stems.size >= MAX_MEMOISED_STEMS) stems.clear();
    stem = stemmer(word);
    stems.set(word, stem);
  }
  return stem;
}
