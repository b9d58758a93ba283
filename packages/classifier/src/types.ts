import type { Rule } from '@classifyd/shared';

export interface ClassifierInput {
  pages: { page_number: number; text: string }[];
  rules: Rule[];
  /** ISO 639-1 code of the document language, when the caller knows it. */
  lang?: string;
}

export interface Classification {
  type: string | null;
  confidence: number;
  reasoning: string;
  /** Tokens a hosted model billed for this answer (summed over any repair turn); absent for local classifiers. */
  usage?: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens?: number;
    cache_creation_input_tokens?: number;
    model?: string;
  };
}

export interface Classifier {
  readonly name: string;
  classify(input: ClassifierInput, signal?: AbortSignal): Promise<Classification>;
}

export interface EmbeddedClassifierOptions {
  /** Below this confidence the answer is a null type. Defaults to the calibrated threshold. */
  nullThreshold?: number;
}
