import type { LabelledExample } from '@classifyd/shared';
import { blockDots, centroid, type SparseVector, weighted } from './sparse-vector.js';
import { CHAR_FEATURES_FROM, FEATURE_SPACE, type FeatureCounts, textFeatures } from './text-features.js';

/** How a document compares with the examples of one type (or, type null, the negative ones). */
export interface TypeSimilarity {
  type: string | null;
  examples: number;
  /** Cosine with the centroid of the type's examples, by words and word pairs. */
  words: number;
  /** The same by character n-grams. */
  chars: number;
  /** Cosine with the type's closest example, by words. */
  nearest: number;
  /** Mean cosine of the type's three closest examples (of all, when it has fewer). */
  nearestThree: number;
}

export interface NearExample {
  id: string;
  type: string | null;
  name: string;
  similarity: number;
}

export interface ExampleComparison {
  byType: TypeSimilarity[];
  /** The closest examples, most similar first. */
  nearest: NearExample[];
}

type ExampleName = Pick<LabelledExample, 'id' | 'type' | 'name'>;

/**
 * A centroid keeps this many features per block: on the dev set 1,500 held out as well as
 * 4,000 (slightly better), and 500 lost a little; fewer make every comparison cheaper.
 */
const CENTROID_FEATURES = 1500;
/** Up to this many nearest examples are picked by a running selection; more, by sorting them all. */
const SELECTION_LIMIT = 32;

/**
 * What is learned from one configuration's examples: idf weights, a centroid per type, and
 * an inverted index of the examples' word vectors for nearest-example search. Building is one
 * pass over the examples; comparing a document costs its words' postings and the centroids'
 * kept features, not the number of examples times their length.
 */
export class ExampleIndex {
  private constructor(
    private readonly examples: readonly ExampleName[],
    private readonly idf: Float32Array,
    private readonly centroids: ReadonlyMap<string | null, { vector: SparseVector; count: number }>,
    /** Word postings in compressed rows: the examples having feature f are at offsets[f]..offsets[f+1]. */
    private readonly offsets: Uint32Array,
    private readonly postingExamples: Uint32Array,
    private readonly postingWeights: Float32Array,
  ) {}

  /** features: the examples' textFeatures, when the caller has read them already. */
  static build(
    examples: readonly LabelledExample[],
    features: readonly FeatureCounts[] = examples.map((example) => textFeatures(example.pages)),
  ): ExampleIndex {
    const idf = inverseDocumentFrequency(features);
    const vectors = features.map((f) => weighted(f, idf));
    const groups = new Map<string | null, SparseVector[]>();
    vectors.forEach((vector, i) => {
      const type = (examples[i] as LabelledExample).type;
      const group = groups.get(type);
      if (group) group.push(vector);
      else groups.set(type, [vector]);
    });
    const centroids = new Map(
      [...groups].map(([type, group]) => [
        type,
        { vector: centroid(group, CENTROID_FEATURES), count: group.length },
      ]),
    );
    const offsets = new Uint32Array(CHAR_FEATURES_FROM + 1);
    for (const { ids } of vectors)
      for (const id of ids) if (id < CHAR_FEATURES_FROM) offsets[id + 1] = (offsets[id + 1] as number) + 1;
    for (let f = 0; f < CHAR_FEATURES_FROM; f++)
      offsets[f + 1] = (offsets[f + 1] as number) + (offsets[f] as number);
    const fill = offsets.slice(0, CHAR_FEATURES_FROM);
    const postingExamples = new Uint32Array(offsets[CHAR_FEATURES_FROM] as number);
    const postingWeights = new Float32Array(postingExamples.length);
    vectors.forEach(({ ids, values }, example) => {
      for (let i = 0; i < ids.length && (ids[i] as number) < CHAR_FEATURES_FROM; i++) {
        const id = ids[i] as number;
        const at = fill[id] as number;
        fill[id] = at + 1;
        postingExamples[at] = example;
        postingWeights[at] = values[i] as number;
      }
    });
    const names = examples.map(({ id, type, name }) => ({ id, type, name }));
    return new ExampleIndex(names, idf, centroids, offsets, postingExamples, postingWeights);
  }

  get size(): number {
    return this.examples.length;
  }

  /** among: the types whose examples may be listed as nearest (all when absent). */
  compare(
    pages: readonly { text: string }[],
    nearestCount = 5,
    among?: ReadonlySet<string | null>,
  ): ExampleComparison {
    return this.compareFeatures(textFeatures(pages), nearestCount, among);
  }

  compareFeatures(
    features: FeatureCounts,
    nearestCount = 5,
    among?: ReadonlySet<string | null>,
  ): ExampleComparison {
    const vector = weighted(features, this.idf);
    const similarity = new Float64Array(this.examples.length);
    const { offsets, postingExamples, postingWeights } = this;
    // Plain loops: this is the inner loop of every classification with examples.
    for (let i = 0; i < vector.ids.length; i++) {
      const id = vector.ids[i] as number;
      if (id >= CHAR_FEATURES_FROM) break;
      const weight = vector.values[i] as number;
      const end = offsets[id + 1] as number;
      for (let at = offsets[id] as number; at < end; at++) {
        const example = postingExamples[at] as number;
        similarity[example] = (similarity[example] as number) + weight * (postingWeights[at] as number);
      }
    }
    const closest = new Map<string | null, number[]>();
    this.examples.forEach(({ type }, i) => {
      closest.set(type, keepLargest(closest.get(type) ?? [], similarity[i] as number, 3));
    });
    const byType = [...this.centroids].map(([type, { vector: c, count }]) => ({
      type,
      examples: count,
      ...blockDots(vector, c),
      nearest: closest.get(type)?.[0] ?? 0,
      nearestThree: mean(closest.get(type) ?? []),
    }));
    return { byType, nearest: this.topExamples(similarity, nearestCount, among) };
  }

  /** The closest examples of each type, at most `perType` each, most similar first. */
  nearestPerType(pages: readonly { text: string }[], perType: number): NearExample[] {
    const { nearest } = this.compare(pages, this.examples.length);
    const taken = new Map<string | null, number>();
    return nearest.filter(({ type }) => {
      const count = taken.get(type) ?? 0;
      taken.set(type, count + 1);
      return count < perType;
    });
  }

  private topExamples(
    similarity: Float64Array,
    count: number,
    among?: ReadonlySet<string | null>,
  ): NearExample[] {
    if (count > SELECTION_LIMIT) {
      const all = [...similarity.keys()].filter(
        (i) => !among || among.has((this.examples[i] as ExampleName).type),
      );
      all.sort((a, b) => (similarity[b] as number) - (similarity[a] as number));
      return all
        .slice(0, count)
        .map((i) => ({ ...(this.examples[i] as ExampleName), similarity: similarity[i] as number }));
    }
    // A running selection of the few best, not a sort of every example.
    const top: number[] = [];
    for (let i = 0; i < similarity.length; i++) {
      if (among && !among.has((this.examples[i] as ExampleName).type)) continue;
      const value = similarity[i] as number;
      if (top.length === count && value <= (similarity[top[count - 1] as number] as number)) continue;
      let at = top.length;
      while (at > 0 && (similarity[top[at - 1] as number] as number) < value) at--;
      top.splice(at, 0, i);
      if (top.length > count) top.length = count;
    }
    return top.map((i) => ({ ...(this.examples[i] as ExampleName), similarity: similarity[i] as number }));
  }
}

/** `top` (descending, at most `size` long) with `value` taken in where it belongs. */
function keepLargest(top: number[], value: number, size: number): number[] {
  if (top.length === size && value <= (top[size - 1] as number)) return top;
  let at = top.length;
  while (at > 0 && (top[at - 1] as number) < value) at--;
  top.splice(at, 0, value);
  if (top.length > size) top.length = size;
  return top;
}

const mean = (values: readonly number[]) =>
  values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : 0;

/** Smoothed idf over the examples: a feature in every example still weighs a little. */
function inverseDocumentFrequency(documents: readonly FeatureCounts[]): Float32Array {
  const frequency = new Uint32Array(FEATURE_SPACE);
  for (const { ids } of documents) for (const id of ids) frequency[id] = (frequency[id] as number) + 1;
  const idf = new Float32Array(FEATURE_SPACE);
  const n = documents.length;
  frequency.forEach((df, id) => {
    if (df > 0) idf[id] = Math.log((n + 1) / (df + 1)) + 1;
  });
  return idf;
}
