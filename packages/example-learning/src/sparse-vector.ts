import { CHAR_FEATURES_FROM, FEATURE_SPACE, type FeatureCounts } from './text-features.js';

/**
 * A document's weighted features in ascending id order. The word block and the character
 * block are each of unit length, so that each gives a cosine of its own.
 */
export interface SparseVector {
  ids: Uint32Array;
  values: Float32Array;
}

/** Sub-linear tf times idf; features the examples never had (idf 0) are dropped. */
export function weighted(features: FeatureCounts, idf: Float32Array): SparseVector {
  const ids = new Uint32Array(features.ids.length);
  const values = new Float32Array(features.ids.length);
  let kept = 0;
  for (let i = 0; i < features.ids.length; i++) {
    const id = features.ids[i] as number;
    const weight = idf[id] as number;
    if (weight === 0) continue;
    ids[kept] = id;
    values[kept++] = sublinear(features.counts[i] as number) * weight;
  }
  return normalisedBlocks(ids.slice(0, kept), values.slice(0, kept));
}

/** 1 + ln(count), from a table for the counts most features have. */
const SUBLINEAR = Float32Array.from({ length: 256 }, (_, n) => (n === 0 ? 0 : 1 + Math.log(n)));
const sublinear = (count: number) => (count < 256 ? (SUBLINEAR[count] as number) : 1 + Math.log(count));

/** Scales the word block and the character block to unit length each. */
export function normalisedBlocks(ids: Uint32Array, values: Float32Array): SparseVector {
  let split = ids.findIndex((id) => id >= CHAR_FEATURES_FROM);
  if (split < 0) split = ids.length;
  for (const [from, to] of [
    [0, split],
    [split, ids.length],
  ] as const) {
    let norm = 0;
    for (let i = from; i < to; i++) norm += (values[i] as number) ** 2;
    if (norm === 0) continue;
    const inverse = 1 / Math.sqrt(norm);
    for (let i = from; i < to; i++) values[i] = (values[i] as number) * inverse;
  }
  return { ids, values };
}

/**
 * The normalised sum of vectors, keeping each block's `keep` largest weights: the direction
 * a type's examples share, without the long tail that costs time and says little.
 */
export function centroid(vectors: readonly SparseVector[], keep: number): SparseVector {
  const sum = new Float32Array(FEATURE_SPACE);
  const seen: number[] = [];
  for (const { ids, values } of vectors) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (sum[id] === 0) seen.push(id);
      sum[id] = (sum[id] as number) + (values[i] as number);
    }
  }
  const largest = (block: number[]) =>
    block.sort((a, b) => (sum[b] as number) - (sum[a] as number)).slice(0, keep);
  const kept = [
    ...largest(seen.filter((id) => id < CHAR_FEATURES_FROM)),
    ...largest(seen.filter((id) => id >= CHAR_FEATURES_FROM)),
  ].sort((a, b) => a - b);
  return normalisedBlocks(
    Uint32Array.from(kept),
    Float32Array.from(kept, (id) => sum[id] as number),
  );
}

/**
 * Cosines of two vectors, by words and by character n-grams: one merge of their ascending
 * ids, which reads both in order (faster than looking ids up in a table of the whole space).
 */
export function blockDots(a: SparseVector, b: SparseVector): { words: number; chars: number } {
  let words = 0;
  let chars = 0;
  let i = 0;
  let j = 0;
  const { ids: aIds, values: aValues } = a;
  const { ids: bIds, values: bValues } = b;
  while (i < aIds.length && j < bIds.length) {
    const x = aIds[i] as number;
    const y = bIds[j] as number;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      const product = (aValues[i++] as number) * (bValues[j++] as number);
      if (x < CHAR_FEATURES_FROM) words += product;
      else chars += product;
    }
  }
  return { words, chars };
}
