/**
 * What a failed Claude call means for the queue. The worker reads only the properties the
 * Classifier contract names (`permanent`, `retryAfterMs`); the classes are for this package:
 * - ClassifierRateLimitedError: wait `retryAfterMs`, then try again (429, 529 overloaded).
 * - ClassifierPermanentError: retrying cannot help; fail the job with `message` (bad key, unknown model,
 *   rejected request, refusal). The message names what to fix and never contains the API key.
 * - ClassifierTransientError: try again with the queue's usual backoff (5xx, timeouts, connection errors,
 *   output that stayed malformed after the repair turn).
 */
export type ClassifierErrorKind = 'rate_limited' | 'permanent' | 'transient';

export interface ClassifierErrorOptions {
  status?: number;
  requestId?: string;
  cause?: unknown;
}

export abstract class ClassifierError extends Error {
  abstract readonly kind: ClassifierErrorKind;
  /** HTTP status from the Messages API, when there was a response. */
  readonly status: number | undefined;
  /** The API's request-id header, for a support ticket. */
  readonly requestId: string | undefined;

  /** The Classifier contract's signal that retrying cannot help. */
  get permanent(): boolean {
    return this.kind === 'permanent';
  }

  constructor(message: string, options: ClassifierErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

export class ClassifierRateLimitedError extends ClassifierError {
  readonly kind = 'rate_limited' as const;
  /** How long the API asked us to wait (retry-after-ms / retry-after), or a default when it did not say. */
  readonly retryAfterMs: number;
  readonly reason: 'rate_limited' | 'overloaded';

  constructor(
    message: string,
    options: ClassifierErrorOptions & { retryAfterMs: number; reason: 'rate_limited' | 'overloaded' },
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
    this.reason = options.reason;
  }
}

export type PermanentReason =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'billing'
  | 'too_large'
  | 'refused'
  | 'invalid_input';

export class ClassifierPermanentError extends ClassifierError {
  readonly kind = 'permanent' as const;
  readonly reason: PermanentReason;

  constructor(message: string, options: ClassifierErrorOptions & { reason: PermanentReason }) {
    super(message, options);
    this.reason = options.reason;
  }
}

/** Claude declined to classify (stop_reason "refusal"); the same request would be declined again. */
export class ClassifierRefusalError extends ClassifierPermanentError {
  constructor(message: string) {
    super(message, { reason: 'refused' });
  }
}

export class ClassifierTransientError extends ClassifierError {
  readonly kind: ClassifierErrorKind = 'transient';
}

/** The model's answer stayed unusable after one repair turn; a fresh attempt usually succeeds. */
export class ClassifierInvalidOutputError extends ClassifierTransientError {}

export function isClassifierError(error: unknown): error is ClassifierError {
  return error instanceof ClassifierError;
}
