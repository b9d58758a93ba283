import type { Classification } from '@classifyd/shared';
import type { DocumentProfile } from '../document-profile.js';
import type { EvidenceWord } from '../evidence.js';
import { examplesReasoning } from '../reasoning.js';
import { EXAMPLE_FUSION, type FusionInput, fusedProbabilities, fusionEvidence } from './example-fusion.js';
import { type ExampleModel, meaningSimilarity } from './example-model.js';

/** The closest examples a reasoning draws on. */
const NEAREST_CONSIDERED = 5;

/** The rules' side of the fusion (types, scores, their decision), and what the examples need. */
export interface ExampleDecisionInput
  extends Pick<
    FusionInput,
    'types' | 'ruleScores' | 'neutralScore' | 'ruleBest' | 'ruleConfidence' | 'ruleNullConfidence'
  > {
  pages: readonly { text: string }[];
  document: DocumentProfile;
  model: ExampleModel;
  evidenceOf: (type: string) => EvidenceWord[];
}

/**
 * The answer when the configuration has examples: the most probable of every rule type and
 * null, by rules and examples together (example-fusion.ts). Examples of a type that is no
 * longer among the rules are not counted (they stay stored; the user may bring the type back).
 */
export function decideWithExamples(input: ExampleDecisionInput): Classification {
  const current = new Set<string | null>([...input.types, null]);
  const comparison = input.model.index.compare(input.pages, NEAREST_CONSIDERED, current);
  const { nearest } = comparison;
  const meaning = meaningSimilarity(input.model, input.document.meanVector);
  const probabilities = fusedProbabilities(
    fusionEvidence({ ...input, comparison, meaning: meaning.centroid, meaningNearest: meaning.nearest }),
    EXAMPLE_FUSION,
  );
  let best = 0;
  for (let i = 1; i < probabilities.length; i++)
    if ((probabilities[i] as number) > (probabilities[best] as number)) best = i;
  const type = input.types[best] ?? null;
  return {
    type,
    confidence: probabilities[best] as number,
    reasoning: examplesReasoning(type, nearest, type === null ? [] : input.evidenceOf(type)),
  };
}
