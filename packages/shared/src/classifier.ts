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
  /**
   * The labelled documents of the job's saved configuration, as they were when its
   * classify stage started; absent for an inline configuration or one without examples.
   */
  examples?: ExampleSet;
}

/** A document a user labelled for one saved configuration. */
export interface LabelledExample {
  id: string;
  /** One of the configuration's rule types, or null: the document fits none of its rules. */
  type: string | null;
  /** The document's file name, for reasoning ("e.g. file 'inv-0042.pdf'"). */
  name: string;
  /** Its parsed text, cut to EXAMPLE_TEXT_CHARS. */
  pages: { page_number: number; text: string }[];
}

/**
 * Examples keep this much of a document's text: more than any classifier reads (the
 * embedded one reads the first 10,000 characters), and it bounds what a configuration of
 * 10,000 examples holds in Redis.
 */
export const EXAMPLE_TEXT_CHARS = 16_000;

/**
 * The READY examples of one configuration. A classifier builds what it learns from them once
 * per key and keeps it: equal keys mean equal examples.
 */
export interface ExampleSet {
  /** The configuration id and the version of its example set. */
  readonly key: string;
  readonly count: number;
  /**
   * The examples themselves; read only when no model for this key is at hand. It resolves
   * to exactly the set the key names, or rejects when that set has changed since the key
   * was read: a classifier lets the rejection through and remembers nothing for the key,
   * and its caller classifies again with the new key.
   */
  load(): Promise<LabelledExample[]>;
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
