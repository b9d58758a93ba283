import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Level, Logger } from 'pino';

/** A read of one job (status, result): what a client waiting for the job repeats. */
const JOB_READ = /^\/api\/v2\/(classify|parse)\/[^/?]+/;
const UNLOGGED = new Set(['/health', '/ready', '/metrics']);
/** A caller's request id is taken as it is only when it looks like one (no log injection). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function levelOf(req: Request, status: number): Level {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  // Clients poll a job until it ends: those reads would drown the log at info.
  return req.method === 'GET' && JOB_READ.test(req.originalUrl) ? 'debug' : 'info';
}

/**
 * One line per request when it ends: method, path (no query string: it may carry ids of
 * other systems), status, duration and project; never headers, which carry keys. Every
 * answer carries an `x-request-id` (the caller's, or a new one) that the line repeats.
 * Written by hand rather than with pino-http: no child logger per request, whose making
 * cost about a sixth of a create's CPU, and nothing is serialised for a line not written.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.originalUrl.split('?', 1)[0] as string;
    if (UNLOGGED.has(path)) return next();
    const given = req.get('x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const started = performance.now();
    const write = (message: string, status: number, level: Level) => {
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: id,
          method: req.method,
          path,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          projectId: req.principal?.projectId,
          // The job a create made (routes set it), so the line can be followed to the workers' lines.
          jobId: res.locals.jobId as string | undefined,
        },
        message,
      );
    };
    // One listener: 'close' follows every response, written in full or not (the client gone).
    res.once('close', () => {
      if (res.writableFinished) write('request completed', res.statusCode, levelOf(req, res.statusCode));
      else write('request aborted', res.statusCode, 'warn');
    });
    next();
  };
}
