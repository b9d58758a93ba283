import { ExampleIndex } from '@classifyd/example-learning';
import type { LabelledExample } from '@classifyd/shared';
import { meanWordVector } from '../document-profile.js';
import type { WordVectors } from '../word-vectors.js';

/** What the embedded classifier learns from one configuration's examples. */
export interface ExampleModel {
  index: ExampleIndex;
  /** Per type (null: negative examples), the unit mean of its examples' word-vector means. */
  meanVectors: Map<string | null, Float32Array>;
}

export function buildExampleModel(examples: readonly LabelledExample[], vectors: WordVectors): ExampleModel {
  const sums = new Map<string | null, Float32Array>();
  for (const example of examples) {
    const mean = meanWordVector(example.pages, vectors);
    if (!mean) continue;
    const sum = sums.get(example.type) ?? new Float32Array(vectors.dims);
    sums.set(example.type, sum);
    for (let d = 0; d < mean.length; d++) sum[d] = (sum[d] as number) + (mean[d] as number);
  }
  for (const sum of sums.values()) unit(sum);
  return { index: ExampleIndex.build(examples), meanVectors: sums };
}

function unit(vector: Float32Array): void {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm === 0) return;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * inverse;
}

export function cosine(a: Float32Array | null, b: Float32Array | undefined): number {
  if (!a || !b) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
