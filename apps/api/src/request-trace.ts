import type { Tracing } from '@classifyd/runtime';
import type { NextFunction, Request, Response } from 'express';

const UNTRACED = new Set(['/health', '/ready', '/metrics']);

/**
 * A server span per request, continuing the caller's `traceparent` when it sends one. Its
 * context is left in `res.locals.trace` for the routes that start work (a classify job's
 * stages join the same trace). Mounted only when tracing is on.
 */
export function traceRequests(tracing: Tracing) {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.originalUrl.split('?', 1)[0] as string;
    if (UNTRACED.has(path) || path.startsWith('/admin/')) return next();
    const traceparent = req.get('traceparent');
    const tracestate = req.get('tracestate');
    const span = tracing.start(req.method, {
      kind: 'server',
      parent: traceparent ? { traceparent, ...(tracestate && { tracestate }) } : undefined,
      attributes: { 'http.request.method': req.method, 'url.path': path },
    });
    res.locals.trace = span.context;
    res.once('close', () => {
      // The route template, not the path: span names stay few (no ids in them).
      const route = req.route?.path as string | undefined;
      if (route) span.rename(`${req.method} ${req.baseUrl}${route}`);
      span.set({
        'http.response.status_code': res.statusCode,
        ...(route && { 'http.route': `${req.baseUrl}${route}` }),
        ...(req.principal && { 'classifyd.project_id': req.principal.projectId }),
        ...(res.locals.jobId && { 'classifyd.job_id': res.locals.jobId as string }),
      });
      if (res.statusCode >= 500) span.fail(new Error(`HTTP ${res.statusCode}`));
      else if (!res.writableFinished) span.fail(new Error('client closed the connection'));
      span.end();
    });
    next();
  };
}
