export {
  type ExampleComparison,
  ExampleIndex,
  type NearExample,
  type TypeSimilarity,
} from './example-index.js';
export { ExampleSetCache } from './example-set-cache.js';
export { FEATURE_TEXT_CHARS, type FeatureCounts, textFeatures } from './text-features.js';
