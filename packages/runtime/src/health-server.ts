import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedisClient } from './redis.js';

export interface HealthServerOptions {
  host: string;
  port: number;
  /** Whether the process can do its work now; a throw or a `false` both answer 503. */
  ready: () => Promise<boolean>;
  /** Served on `GET /metrics` (Prometheus text), as `access` allows. */
  metrics?: MetricsSource;
  access?: MetricsAccess;
}

/** A prom-client registry, as far as serving it goes. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

/**
 * Who may read `/metrics`: a bearer token (METRICS_AUTH), anyone, or no one (production
 * without a token, unless METRICS_OPEN says an open endpoint is meant).
 */
export type MetricsAccess = { token: string } | 'open' | 'closed';

export function metricsAccess(env: {
  METRICS_AUTH?: string | undefined;
  METRICS_OPEN?: boolean | undefined;
  NODE_ENV?: string | undefined;
}): MetricsAccess {
  if (env.METRICS_AUTH) return { token: env.METRICS_AUTH };
  return env.NODE_ENV === 'production' && env.METRICS_OPEN !== true ? 'closed' : 'open';
}

/** The answer to a `/metrics` request with this Authorization header: a status and why not, or null to serve. */
export function metricsRefusal(
  access: MetricsAccess,
  authorization: string | undefined,
): { status: number; detail: string } | null {
  if (access === 'open') return null;
  if (access === 'closed')
    return {
      status: 403,
      detail: 'Metrics are off in production until METRICS_AUTH (or METRICS_OPEN=true) is set',
    };
  const expected = Buffer.from(`Bearer ${access.token}`);
  const given = Buffer.from(authorization ?? '');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  return { status: 401, detail: 'Send the metrics token: Authorization: Bearer <METRICS_AUTH>' };
}

export interface HealthServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * A worker's probe endpoints, for orchestrators that restart or route on them:
 * - `GET /health` (liveness): answers as long as the event loop turns. It checks nothing
 *   else on purpose: a restart does not fix a Redis outage, and a blocked loop is seen
 *   as a probe that times out.
 * - `GET /ready` (readiness): the `ready` check, with its reason hidden (never a secret).
 * - `GET /metrics`: the process's metrics, when it has some, behind `access`.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { detail: 'Method Not Allowed' });
    if (path === '/health') return reply(200, { status: 'ok' });
    if (path === '/metrics' && options.metrics) {
      const refused = metricsRefusal(options.access ?? 'open', req.headers.authorization);
      if (refused) return reply(refused.status, { detail: refused.detail });
      const source = options.metrics;
      source.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => reply(500, { detail: 'metrics could not be collected' }),
      );
      return;
    }
    if (path === '/ready') {
      options.ready().then(
        (ok) => (ok ? reply(200, { status: 'ready' }) : reply(503, { detail: 'not ready' })),
        () => reply(503, { detail: 'not ready' }),
      );
      return;
    }
    reply(404, { detail: 'Not Found' });
  });
  // Probes hold no connection open; a slow reader must not keep shutdown waiting.
  server.keepAliveTimeout = 1000;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * Redis answers a PING within `timeoutMs`. A worker connection queues commands while
 * Redis is away (it waits out restarts), so its status is read first and the PING is
 * raced against a timer: a probe never hangs on it.
 */
export async function redisAnswers(redis: RedisClient, timeoutMs = 2000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((answer) => answer === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A worker process's health server when `port` is set (METRICS_PORT): ready while Redis
 * answers and every BullMQ worker of the process runs. Without a port, none.
 */
export async function startWorkerHealth(options: {
  host: string;
  port: number | undefined;
  redis: RedisClient;
  workers: ReadonlyArray<{ isRunning(): boolean }>;
  metrics?: MetricsSource;
  access?: MetricsAccess;
}): Promise<HealthServer | undefined> {
  if (options.port === undefined) return undefined;
  return startHealthServer({
    host: options.host,
    port: options.port,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.access ? { access: options.access } : {}),
    ready: async () =>
      options.workers.every((worker) => worker.isRunning()) && (await redisAnswers(options.redis)),
  });
}
