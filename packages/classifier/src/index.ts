export { createEmbeddedClassifier } from './embedded-classifier.js';
export type { EmbeddedClassifierOptions } from './types.js';
