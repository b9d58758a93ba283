import { AppError, type ErrorCode, isAppError } from '@classifyd/shared';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** ioredis reports an unreachable Redis in several ways; all of them mean 503. */
function isRedisUnavailable(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const name = error instanceof Error ? error.name : '';
  return (
    name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ETIMEDOUT|Stream isn't writeable|connect ECONN/i.test(
      message,
    )
  );
}

/**
 * Redis at its maxmemory with `noeviction` refuses writes with an OOM error: the API answers
 * 503 (nothing is evicted, nothing is lost) rather than failing as if it were a bug.
 */
function isRedisFull(error: unknown): boolean {
  return error instanceof Error && /^OOM /.test(error.message);
}

/** The 503 every route answers while Redis is away. */
export function storeUnavailable(): AppError {
  return new AppError('unavailable', 'The job store is unavailable; retry shortly', { retryAfterSeconds: 2 });
}

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isRedisUnavailable(error)) return storeUnavailable();
  if (isRedisFull(error)) {
    return new AppError('unavailable', 'The job store is full; retry later', { retryAfterSeconds: 30 });
  }
  const err = error as { type?: string; status?: number };
  if (err.type === 'entity.parse.failed') {
    return AppError.validation([{ loc: ['body'], msg: 'The body is not valid JSON', type: 'json_invalid' }]);
  }
  if (err.type === 'entity.too.large')
    return new AppError('payload_too_large', 'The request body is too large');
  if (err.status && err.status >= 400 && err.status < 500)
    return new AppError('bad_request', 'The request could not be read');
  return new AppError('internal', 'Internal server error');
}

/** FastAPI-shaped errors: `{detail: [...]}` for 422, `{detail: "..."}` otherwise; never a stack. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    const status = STATUS[appError.code];
    if (status >= 500) {
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    }
    if (appError.retryAfterSeconds !== undefined) res.set('Retry-After', String(appError.retryAfterSeconds));
    // The official SDK retries 409 by default; a refused cancel or delete will not change by retrying.
    if (status === 409 || (status >= 400 && status < 500 && status !== 429 && status !== 408)) {
      res.set('x-should-retry', 'false');
    }
    if (res.headersSent) return;
    res.status(status).json({ detail: appError.code === 'validation' ? appError.issues : appError.message });
  };
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction) {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
}
