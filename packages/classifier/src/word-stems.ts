import { stemmer } from 'stemmer';
import { LruCache } from './lru-cache.js';

/** Stems are memoised: the same few thousand words come back in every document. */
const stems = new LruCache<string, string>(100_000);

/**
 * The Porter stem of a lowercased word, so "clauses" meets "clause" and "itemised" meets
 * "itemises". Used for verbatim matching only; word vectors keep the surface form.
 */
export function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = stemmer(word);
    stems.set(word, stem);
  }
  return stem;
}
