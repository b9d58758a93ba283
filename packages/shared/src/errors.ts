/**
 * The one error type that crosses layers. Codes are strings; only the API's error
 * handler maps them to HTTP statuses.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One FastAPI-shaped validation item: where, what, and a machine-readable kind. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: ValidationIssue[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  static validation(issues: ValidationIssue[]): AppError {
    return new AppError('validation', issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '), {
      issues,
    });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
