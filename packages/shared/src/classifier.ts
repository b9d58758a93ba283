import type { Rule } from './schemas/classify.js';

/**
 * The contract between the classify stage and any classifier (the embedded one, Claude,
 * a future one). It lives here, not in one classifier's package, so that a worker and
 * every implementation depend on the contract only.
 */
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

/**
 * The job's abort signal as a classifier sees it: an AbortSignal, written out so that
 * shared keeps neither Node's nor the DOM's types. Implementations may name AbortSignal.
 */
export interface ClassifySignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
}

/**
 * A classifier rejects with an error that says what to do next, by its properties, so that
 * the worker needs no classifier's error classes: `permanent: true` fails the job with the
 * error's message (retrying cannot help); a number `retryAfterMs` means the service asked
 * to wait that long (the queue pauses, no attempt is spent); anything else is retried.
 */
export interface Classifier {
  readonly name: string;
  classify(input: ClassifierInput, signal?: ClassifySignal): Promise<Classification>;
}
