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
}

export interface Classifier {
  readonly name: string;
  classify(input: ClassifierInput, signal?: AbortSignal): Promise<Classification>;
}

export interface EmbeddedClassifierOptions {
  /** Below this confidence the answer is a null type. Defaults to the calibrated threshold. */
  nullThreshold?: number;
}
