import { ExampleIndex, textFeatures } from '@classifyd/example-learning';
import type { LabelledExample } from '@classifyd/shared';
import { meanVectorOfWords } from '../document-profile.js';
import type { WordVectors } from '../word-vectors.js';

/** What the embedded classifier learns from one configuration's examples. */
export interface ExampleModel {
  index: ExampleIndex;
  /** Per type (null: negative examples), the unit mean of its examples' word-vector means. */
  meanVectors: Map<string | null, Float32Array>;
  /** Each example's word-vector mean, row by row (zeros for an example without known words), and its type. */
  exampleMeans: Float32Array;
  exampleTypes: (string | null)[];
  dims: number;
}

export function buildExampleModel(examples: readonly LabelledExample[], vectors: WordVectors): ExampleModel {
  const { dims } = vectors;
  const sums = new Map<string | null, Float32Array>();
  const exampleMeans = new Float32Array(examples.length * dims);
  // One reading of each example serves both its n-grams and its meaning.
  const features = examples.map((example) => textFeatures(example.pages));
  examples.forEach((example, i) => {
    const mean = meanVectorOfWords((features[i] as (typeof features)[number]).words, vectors);
    if (!mean) return;
    exampleMeans.set(mean, i * dims);
    const sum = sums.get(example.type) ?? new Float32Array(dims);
    sums.set(example.type, sum);
    for (let d = 0; d < dims; d++) sum[d] = (sum[d] as number) + (mean[d] as number);
  });
  for (const sum of sums.values()) unit(sum);
  return {
    index: ExampleIndex.build(examples, features),
    meanVectors: sums,
    exampleMeans,
    exampleTypes: examples.map((e) => e.type),
    dims,
  };
}

/** How close a document's word-vector mean is to each type's: to its examples' mean, and to its closest example. */
export function meaningSimilarity(model: ExampleModel, documentMean: Float32Array | null) {
  const centroid = new Map<string | null, number>();
  const nearest = new Map<string | null, number>();
  if (!documentMean) return { centroid, nearest };
  for (const [type, mean] of model.meanVectors) centroid.set(type, cosine(documentMean, mean));
  const { exampleMeans, dims } = model;
  model.exampleTypes.forEach((type, i) => {
    let sum = 0;
    for (let d = 0; d < dims; d++)
      sum += (documentMean[d] as number) * (exampleMeans[i * dims + d] as number);
    if (sum > (nearest.get(type) ?? Number.NEGATIVE_INFINITY)) nearest.set(type, sum);
  });
  return { centroid, nearest };
}

function unit(vector: Float32Array): void {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm === 0) return;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * inverse;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
