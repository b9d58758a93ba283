export { createEmbeddedClassifier } from './embedded-classifier.js';
export type { Classification, Classifier, ClassifierInput, EmbeddedClassifierOptions } from './types.js';
