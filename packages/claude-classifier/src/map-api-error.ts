import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  type ClassifierError,
  ClassifierPermanentError,
  ClassifierRateLimitedError,
  ClassifierTransientError,
  type PermanentReason,
} from './errors.js';

/** When a 429 says nothing about when to come back: Anthropic's limits refill within about a minute. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 20_000;
/** When a 529 says nothing: overload usually clears faster than a rate-limit window. */
export const DEFAULT_OVERLOADED_RETRY_MS = 10_000;
/** A retry-after longer than this is more likely a bad header than advice worth following. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface ErrorContext {
  apiKey: string;
  model: string;
  baseURL: string;
  timeoutMs: number;
}

/** Milliseconds from `retry-after-ms`, else `retry-after` (seconds or an HTTP date); undefined when absent or unusable. */
export function retryAfterFromHeaders(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) return Math.min(Math.ceil(millis), MAX_RETRY_AFTER_MS);
  const raw = headers?.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0)
    return Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(date - now, 0), MAX_RETRY_AFTER_MS);
}

/** Keys must never reach a job's error_message or a log line, whatever the API or a proxy echoes back. */
export function redactKey(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/** `(429 rate_limit_error: the API's message)`. */
function apiDetail(error: APIError): string {
  const type = error.type ? ` ${error.type}` : '';
  const message = error.apiMessage ? `: ${error.apiMessage}` : '';
  return `(${error.status}${type}${message})`;
}

const PERMANENT_STATUSES: Record<number, { reason: PermanentReason; advice: (ctx: ErrorContext) => string }> =
  {
    400: {
      reason: 'invalid_request',
      advice: (ctx) => `The Anthropic API rejected the classification request for model "${ctx.model}"`,
    },
    401: {
      reason: 'authentication',
      advice: () => 'The Anthropic API did not accept the API key; check ANTHROPIC_API_KEY',
    },
    402: {
      reason: 'billing',
      advice: () => 'The Anthropic account cannot be billed for this request; check its plan and credit',
    },
    403: {
      reason: 'permission',
      advice: (ctx) =>
        `The API key may not use model "${ctx.model}" or this feature; check its workspace permissions`,
    },
    404: {
      reason: 'not_found',
      advice: (ctx) =>
        `The Anthropic API at ${ctx.baseURL} does not know model "${ctx.model}"; check ANTHROPIC_MODEL and ANTHROPIC_BASE_URL`,
    },
    413: {
      reason: 'too_large',
      advice: () => 'The request was too large for the Anthropic API; lower maxDocumentTokens',
    },
    422: {
      reason: 'invalid_request',
      advice: (ctx) => `The Anthropic API could not process the request for model "${ctx.model}"`,
    },
  };

/**
 * The SDK error is not kept as `cause` for HTTP failures: its text is whatever the server (or a proxy)
 * sent, and a serialised cause would bypass the key redaction. Status and request id are enough to debug.
 */
function mapStatusError(error: APIError, ctx: ErrorContext): ClassifierError {
  const status = error.status as number;
  const detail = redactKey(apiDetail(error), ctx.apiKey);
  const requestId = error.requestID ?? undefined;
  if (status === 429 || status === 529 || error.type === 'overloaded_error') {
    const overloaded = status !== 429;
    const retryAfterMs =
      retryAfterFromHeaders(error.headers) ??
      (overloaded ? DEFAULT_OVERLOADED_RETRY_MS : DEFAULT_RATE_LIMIT_RETRY_MS);
    const what = overloaded ? 'is overloaded' : 'rate limit was reached';
    return new ClassifierRateLimitedError(
      `The Anthropic API ${what}; retry in ${Math.ceil(retryAfterMs / 1000)} s ${detail}`,
      { retryAfterMs, reason: overloaded ? 'overloaded' : 'rate_limited', status, requestId },
    );
  }
  const permanent = PERMANENT_STATUSES[status];
  if (permanent) {
    return new ClassifierPermanentError(`${permanent.advice(ctx)} ${detail}`, {
      reason: permanent.reason,
      status,
      requestId,
    });
  }
  const side = status >= 500 ? 'had a server error' : 'answered with an unexpected status';
  return new ClassifierTransientError(`The Anthropic API ${side} ${detail}`, { status, requestId });
}

/**
 * The SDK's error as one the queue can act on. An abort requested through the caller's signal comes
 * back as the signal's reason, like any other cancelled operation.
 */
export function mapApiError(error: unknown, ctx: ErrorContext, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof APIConnectionTimeoutError) {
    return new ClassifierTransientError(`The Anthropic API did not answer within ${ctx.timeoutMs} ms`, {
      cause: error,
    });
  }
  if (error instanceof APIUserAbortError) {
    return new ClassifierTransientError('The request to the Anthropic API was aborted', { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ClassifierTransientError(`Could not reach the Anthropic API at ${ctx.baseURL}${cause}`, {
      cause: error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return mapStatusError(error, ctx);
  }
  return error;
}
