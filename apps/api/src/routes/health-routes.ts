import type { Queues } from '@classifyd/pipeline';
import { Router } from 'express';
import type { Cluster, Redis } from 'ioredis';

/** Liveness says the process serves; readiness says it can do work (Redis and queues answer). */
export function healthRoutes(redis: Redis | Cluster, queues: Queues): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    try {
      await redis.ping();
      const counts = Object.fromEntries(
        await Promise.all(
          Object.entries(queues).map(async ([name, queue]) => [
            name,
            await queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
          ]),
        ),
      );
      res.json({ status: 'ready', redis: 'ok', queues: counts });
    } catch {
      res.status(503).json({ detail: 'Redis or the queues are unavailable' });
    }
  });
  return router;
}
