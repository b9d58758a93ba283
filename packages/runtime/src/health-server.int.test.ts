import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HealthServer, metricsAccess, redisAnswers, startHealthServer } from './health-server.js';
import { createRedis, type RedisClient } from './redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A TCP proxy in front of the test Redis that can be cut, so Redis goes away for one client only. */
async function redisProxy() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function probe(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('worker health server', () => {
  const cleanup: Array<() => Promise<unknown> | undefined> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is live while the process turns, and ready only while Redis answers and the worker runs', async () => {
    const proxy = await redisProxy();
    cleanup.push(proxy.cut);
    const redis: RedisClient = createRedis({ kind: 'url', url: proxy.url }, 'worker', {
      retryStrategy: () => 200,
    });
    redis.on('error', () => {});
    cleanup.push(async () => redis.disconnect());
    await redis.connect();
    let workerRunning = true;
    const health: HealthServer = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      ready: async () => workerRunning && (await redisAnswers(redis, 500)),
    });
    cleanup.push(() => health.close());

    expect(await probe(health.port, '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await probe(health.port, '/ready')).toEqual({ status: 200, body: { status: 'ready' } });

    workerRunning = false;
    expect((await probe(health.port, '/ready')).status).toBe(503);
    workerRunning = true;

    await proxy.cut();
    // The cut is seen once ioredis notices the closed socket; the probe answers either way.
    await expect.poll(async () => (await probe(health.port, '/ready')).status).toBe(503);
    expect(await probe(health.port, '/ready')).toEqual({ status: 503, body: { detail: 'not ready' } });
    expect((await probe(health.port, '/health')).status).toBe(200);
  });

  it('answers 404 for other paths and 405 for other methods, and closes twice safely', async () => {
    const health = await startHealthServer({ host: '127.0.0.1', port: 0, ready: async () => true });
    expect((await probe(health.port, '/metrics')).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${health.port}/ready`, { method: 'POST' });
    expect(post.status).toBe(405);
    await Promise.all([health.close(), health.close()]);
    await expect(fetch(`http://127.0.0.1:${health.port}/health`)).rejects.toThrow();
  });

  it('says not ready, without hanging, when the ready check throws', async () => {
    const health = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      ready: async () => {
        throw new Error('redis://:secret@host refused');
      },
    });
    cleanup.push(() => health.close());
    const answer = await probe(health.port, '/ready');
    expect(answer).toEqual({ status: 503, body: { detail: 'not ready' } });
    expect(JSON.stringify(answer.body)).not.toContain('secret');
  });

  it('serves /metrics only with the token when METRICS_AUTH is set, and not at all in production without one', async () => {
    const metrics = { contentType: 'text/plain; version=0.0.4', metrics: async () => 'classifyd_up 1\n' };
    const token = 'a-metrics-token-of-16+';
    const guarded = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      ready: async () => true,
      metrics,
      access: metricsAccess({ METRICS_AUTH: token, NODE_ENV: 'production' }),
    });
    cleanup.push(() => guarded.close());
    const url = `http://127.0.0.1:${guarded.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-16-chars' } })).status).toBe(
      401,
    );
    const served = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('classifyd_up 1\n');
    // The probes stay open to the orchestrator.
    expect((await probe(guarded.port, '/health')).status).toBe(200);

    const closed = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      ready: async () => true,
      metrics,
      access: metricsAccess({ NODE_ENV: 'production' }),
    });
    cleanup.push(() => closed.close());
    const refused = await probe(closed.port, '/metrics');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/METRICS_AUTH/);
    expect(metricsAccess({ NODE_ENV: 'production', METRICS_OPEN: true })).toBe('open');
    expect(metricsAccess({})).toBe('open');
  });
});
