import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queues } from '@classifyd/pipeline';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { isMirrored, refuseDivergingBoardActions } from './dashboard-guard.js';
import { storeUnavailable } from './error-handler.js';

export const DASHBOARD_PATH = '/admin/queues';

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicAuth(credentials: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    if (sameText(given, credentials)) return next();
    res
      .set('WWW-Authenticate', 'Basic realm="classifyd queues"')
      .status(401)
      .json({ detail: 'Dashboard login required' });
  };
}

/**
 * Bull Board answers a Redis outage with a 500 carrying ioredis's own words; while the
 * connection is down, its routes answer the 503 every other route does.
 */
function whileRedisAnswers(redis: Redis | Cluster) {
  return (_req: Request, _res: Response, next: NextFunction) =>
    next(redis.status === 'ready' ? undefined : storeUnavailable());
}

/** Bull Board over every queue; `credentials` null means open (development only). */
export function dashboardRouter(queues: Queues, redis: Redis | Cluster, credentials: string | null): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    // The board offers no retry where it would disagree with the API (dashboard-guard.ts).
    queues: Object.values(queues).map(
      (queue) => new BullMQAdapter(queue, { allowRetries: !isMirrored(queue.name) }),
    ),
    serverAdapter,
  });
  const router = Router();
  if (credentials !== null) router.use(DASHBOARD_PATH, basicAuth(credentials));
  router.use(
    DASHBOARD_PATH,
    whileRedisAnswers(redis),
    refuseDivergingBoardActions,
    serverAdapter.getRouter(),
  );
  return router;
}
