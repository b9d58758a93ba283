import type { Queues } from '@classifyd/pipeline';
import type { NextFunction, Request, Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  observe: (req: Request, res: Response, next: NextFunction) => void;
}

export function createMetrics(queues: Queues, redis: Redis | Cluster): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'classifyd_api_' });
  const requests = new Counter({
    name: 'classifyd_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'classifyd_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'classifyd_queue_workers',
    help: 'Worker connections consuming each queue, read at scrape time (0 with jobs waiting: nothing runs them)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      // CLIENT LIST may be refused (some managed Redis): then the gauge is left out, not the scrape.
      for (const [name, queue] of Object.entries(queues)) {
        const count = await queue.getWorkersCount().catch(() => null);
        if (count !== null) this.set({ queue: name }, count);
      }
    },
  });
  new Gauge({
    name: 'classifyd_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting on each queue, read at scrape time (0: none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const now = Date.now();
      for (const [name, queue] of Object.entries(queues)) {
        // Oldest first: the next job a worker takes.
        const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
        this.set({ queue: name }, oldest ? Math.max(0, now - oldest.timestamp) / 1000 : 0);
      }
    },
  });
  new Gauge({
    name: 'classifyd_redis_memory_bytes',
    help: 'Redis memory: used, and max (its maxmemory; 0 when unset), read at scrape time',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const info = await redis.info('memory').catch(() => '');
      if (info === '') return;
      const field = (key: string) => Number(new RegExp(`^${key}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      this.set({ kind: 'used' }, field('used_memory'));
      this.set({ kind: 'max' }, field('maxmemory'));
    },
  });
  new Gauge({
    name: 'classifyd_queue_jobs',
    help: 'BullMQ jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
        for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
      }
    },
  });
  const observe = (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL, so ids do not explode the label set.
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
  return { registry, observe };
}
