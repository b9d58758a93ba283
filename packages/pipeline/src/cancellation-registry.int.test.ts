import { JobStore } from '@classifyd/store';
import {
  spawnRedisServer,
  startTcpProxy,
  type TcpProxy,
  type TestRedis,
  uniquePrefix,
} from '@classifyd/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CancellationRegistry } from './cancellation-registry.js';
import { watchCancellation } from './cancellation-watch.js';

const quiet = { warn: () => {} };
const spec = {
  source: { type: 'file' as const, file_id: 'dfl-x', sha256: 'h' },
  name: 'x',
  target_pages: null,
  max_pages: null,
  lang: 'en',
};

/** Resolves when the signal aborts; rejects after `ms`, naming what did not happen. */
function aborted(signal: AbortSignal, ms: number): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not aborted within ${ms} ms`)), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened`);
}

// A private server: its command counters see only what this test and the registry send.
describe('CancellationRegistry against a private redis-server', () => {
  const prefix = uniquePrefix('cancelwatch');
  let server: TestRedis;
  let proxy: TcpProxy;
  let direct: Redis;
  let store: JobStore;
  const opened: { close(): Promise<void> }[] = [];
  const connections: Redis[] = [];

  beforeAll(async () => {
    const spawned = await spawnRedisServer();
    if (!spawned) throw new Error('redis-server could not start: it is needed on the PATH for this test');
    server = spawned;
    proxy = await startTcpProxy(server.url);
    direct = new Redis(server.url, { maxRetriesPerRequest: null });
    store = new JobStore(direct, { queuePrefix: prefix, retentionSeconds: 60 });
  });
  afterEach(async () => {
    for (const registry of opened.splice(0)) await registry.close();
    for (const connection of connections.splice(0)) connection.disconnect();
    await proxy.restore();
  });
  afterAll(async () => {
    direct?.disconnect();
    await proxy?.close();
    await server?.stop();
  });

  /** A registry as a worker holds it: its own worker-style connection (through the proxy if asked). */
  function registry(url = server.url): CancellationRegistry {
    const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    connection.on('error', () => {});
    connections.push(connection);
    const made = new CancellationRegistry(
      connection,
      new JobStore(connection, { queuePrefix: prefix, retentionSeconds: 60 }),
      quiet,
    );
    opened.push(made);
    return made;
  }

  const subscribers = async () => {
    const [, count] = (await direct.pubsub('NUMSUB', store.keys.cancelled())) as [string, number];
    return Number(count);
  };
  const commandCalls = async (command: string) => {
    const info = await direct.info('commandstats');
    return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  };

  it('aborts a running job when it is cancelled, without reading its status in a loop', async () => {
    const job = await store.createParseJob('p1', 'u1', spec);
    const other = await store.createParseJob('p1', 'u1', spec);
    await store.transition(job.id, 'RUNNING');
    const cancellations = registry();
    const watch = watchCancellation(cancellations, job.id);
    const otherWatch = watchCancellation(cancellations, other.id);
    await until(async () => (await subscribers()) === 1, 'the subscription');
    // The one status look after subscribing has had time to happen; count from here.
    await new Promise((r) => setTimeout(r, 200));
    const reads = ['hgetall', 'hget', 'hmget', 'get'];
    const before = await Promise.all(reads.map(commandCalls));
    await new Promise((r) => setTimeout(r, 3000));
    const after = await Promise.all(reads.map(commandCalls));
    // A poll every 500 ms would have read the two statuses about 12 times in these 3 s.
    // (INFO itself is not among the counted commands.)
    expect(after.map((n, i) => n - (before[i] as number))).toEqual([0, 0, 0, 0]);
    expect(watch.signal.aborted).toBe(false);

    await store.transition(job.id, 'CANCELLED');
    await aborted(watch.signal, 1000);
    expect(String(watch.signal.reason)).toContain(job.id);
    expect(otherWatch.signal.aborted).toBe(false);
    watch.stop();
    otherWatch.stop();
    expect(cancellations.watchedIds()).toEqual([]);
  });

  it('aborts a job that was cancelled just before its watch began', async () => {
    const job = await store.createParseJob('p1', 'u1', spec);
    await store.transition(job.id, 'CANCELLED');
    const watch = watchCancellation(registry(), job.id);
    await aborted(watch.signal, 2000);
    watch.stop();
  });

  it('watches a job seen live after the subscription held without reading its status at all', async () => {
    const cancellations = registry();
    await cancellations.start();
    const job = await store.createParseJob('p1', 'u1', spec);
    const liveAt = cancellations.now();
    await store.transition(job.id, 'RUNNING');
    const reads = ['hgetall', 'hget', 'hmget', 'get'];
    const before = await Promise.all(reads.map(commandCalls));
    const watch = watchCancellation(cancellations, job.id, liveAt);
    await new Promise((r) => setTimeout(r, 300));
    expect((await Promise.all(reads.map(commandCalls))).map((n, i) => n - (before[i] as number))).toEqual([
      0, 0, 0, 0,
    ]);
    await store.transition(job.id, 'CANCELLED');
    await aborted(watch.signal, 1000);
    watch.stop();
  });

  it('aborts at once a watch that begins just after the cancel of its job was heard', async () => {
    const cancellations = registry();
    await cancellations.start();
    const job = await store.createParseJob('p1', 'u1', spec);
    const liveAt = cancellations.now();
    await store.transition(job.id, 'RUNNING');
    // Cancelled between the worker's status write and its watch: heard, kept for the watch.
    await store.transition(job.id, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 200));
    const watch = watchCancellation(cancellations, job.id, liveAt);
    expect(watch.signal.aborted).toBe(true);
    watch.stop();
  });

  it('keeps one subscriber connection for every job it watches', async () => {
    const cancellations = registry();
    const jobs = await Promise.all([1, 2, 3].map(() => store.createParseJob('p1', 'u1', spec)));
    const watches = jobs.map((job) => watchCancellation(cancellations, job.id));
    await until(async () => (await subscribers()) === 1, 'the subscription');
    await new Promise((r) => setTimeout(r, 200));
    expect(await subscribers()).toBe(1);
    for (const watch of watches) watch.stop();
  });

  it('notices a cancel published while its subscriber was cut off, once it is back', async () => {
    const job = await store.createParseJob('p1', 'u1', spec);
    await store.transition(job.id, 'RUNNING');
    const watch = watchCancellation(registry(proxy.url), job.id);
    await until(async () => (await subscribers()) === 1, 'the subscription');
    await proxy.cut();
    await until(async () => (await subscribers()) === 0, 'the cut');
    // Published to no one: the worker's connection is down.
    await store.transition(job.id, 'CANCELLED');
    expect(watch.signal.aborted).toBe(false);
    await proxy.restore();
    // ioredis retries at most every 2 s; the status is looked at once it is back.
    await aborted(watch.signal, 4000);
    watch.stop();
  });
});
