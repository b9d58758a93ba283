import { ExampleSetCache } from '@classifyd/example-learning';
import type { Classification, Classifier } from '@classifyd/shared';
import { DEFAULT_NULL_THRESHOLD } from './calibration.js';
import { type ClassifierModel, classifyDocument } from './classify-document.js';
import { buildExampleModel } from './examples/example-model.js';
import { LruCache } from './lru-cache.js';
import { neutralRule } from './neutral-rule.js';
import type { RuleProfile } from './rule-profile.js';
import type { EmbeddedClassifierOptions } from './types.js';
import { loadWordVectors } from './word-vectors.js';

const RULE_CACHE_SIZE = 512;

/** Loads the assets and prepares what every classification shares. */
export async function buildModel(): Promise<ClassifierModel> {
  const vectors = await loadWordVectors();
  return {
    vectors,
    neutralRule: neutralRule(vectors),
    ruleCache: new LruCache<string, RuleProfile>(RULE_CACHE_SIZE),
  };
}

/**
 * The offline classifier: GloVe word vectors shipped in assets/, no network, no key. Loading
 * reads the vectors once (about 0.1 s); each classification is then CPU work only. The
 * confidence is the calibrated probability that the answer given is right: for a type, that
 * it is the document's type; for null, that no rule fits.
 */
export async function createEmbeddedClassifier(options: EmbeddedClassifierOptions = {}): Promise<Classifier> {
  const { nullThreshold = DEFAULT_NULL_THRESHOLD } = options;
  if (!(nullThreshold >= 0 && nullThreshold <= 1))
    throw new RangeError('nullThreshold must be within [0, 1]');
  const model = await buildModel();
  const exampleModels = new ExampleSetCache(
    (examples) => buildExampleModel(examples, model.vectors),
    options.exampleModelCacheSize,
  );
  return {
    name: 'embedded',
    async classify(input, signal?: AbortSignal): Promise<Classification> {
      const examples = input.examples?.count ? await exampleModels.get(input.examples) : undefined;
      const { type, confidence, reasoning } = await classifyDocument(
        input,
        model,
        nullThreshold,
        signal,
        examples,
      );
      return { type, confidence, reasoning };
    },
  };
}
