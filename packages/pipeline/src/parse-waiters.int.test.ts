import type { JobStore } from '@classifyd/store';
import { uniquePrefix } from '@classifyd/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLifecycle } from './job-lifecycle.js';
import { classifyRequest, closeLifecycle, openLifecycle, parseSpec } from './lifecycle.fixture.js';
import type { Queues } from './queues.js';

describe('classify jobs waiting on a parse job given by id', () => {
  const prefix = uniquePrefix('waiters');
  let redis: Redis;
  let queues: Queues;
  let store: JobStore;
  let lifecycle: JobLifecycle;

  beforeAll(() => {
    ({ redis, queues, store, lifecycle } = openLifecycle(prefix));
  });
  afterAll(() => closeLifecycle({ redis, queues }, prefix));

  async function classifyOn(parseJobId: string) {
    const outcome = await lifecycle.submit(classifyRequest({ parseJobId }));
    if (outcome.outcome !== 'created') throw new Error('expected a new job');
    return outcome.job;
  }

  it('joins the waiters of a running parse, and is told to go on once the parse has ended', async () => {
    const parse = await store.createParseJob('p1', 'u1', parseSpec);
    await store.transition(parse.id, 'RUNNING');
    const job = await classifyOn(parse.id);
    await redis.srem(store.keys.waiters(parse.id), job.id);
    expect(await store.joinParseWaiters(job.id, parse.id)).toBe('waiting');
    expect(await store.waiters(parse.id)).toEqual([job.id]);
    const done = await store.transition(parse.id, 'COMPLETED');
    expect(done.ok && done.waiters).toEqual([job.id]);
    expect(await store.joinParseWaiters(job.id, parse.id)).toBe('ready');
  });

  it('releases a waiter once however often the end is seen, even after its first stage job completed', async () => {
    const parse = await store.createParseJob('p1', 'u1', parseSpec);
    await store.transition(parse.id, 'RUNNING');
    const job = await classifyOn(parse.id);
    // As when its classify stage found the parse running: BullMQ still holds a job under its
    // id (kept while completed), and ignores any add under that id while it does.
    await queues.classify.add('classify', { classifyJobId: job.id, projectId: 'p1' }, { jobId: job.id });
    const done = await store.transition(parse.id, 'COMPLETED');
    if (!done.ok) throw new Error('parse did not complete');
    await lifecycle.releaseWaiters('p1', done.waiters);
    await lifecycle.releaseWaiters('p1', await store.waiters(parse.id));
    const waiting = await queues.classify.getWaiting();
    const released = waiting.filter((j) => j.data.classifyJobId === job.id && j.id !== job.id);
    expect(released).toHaveLength(1);
    expect(await queues.classify.getDelayedCount()).toBe(0);
  });

  it('keeps a shared parse while one of its waiters that joined late is live, and cancels it with the last', async () => {
    const cacheKey = 'same-bytes';
    const submitOnFile = async () => {
      const outcome = await lifecycle.submit(classifyRequest({ cacheKey }));
      if (outcome.outcome !== 'created') throw new Error('expected a new job');
      return outcome;
    };
    const one = await submitOnFile();
    const two = await submitOnFile();
    expect(two.parseJobId).toBe(one.parseJobId);
    // The second joins as a classify stage that found the parse running would.
    await redis.srem(store.keys.waiters(one.parseJobId), two.job.id);
    expect(await store.joinParseWaiters(two.job.id, one.parseJobId)).toBe('waiting');
    await lifecycle.cancel(one.job);
    expect((await store.get(one.parseJobId))?.status).toBe('PENDING');
    await lifecycle.cancel(two.job);
    expect((await store.get(one.parseJobId))?.status).toBe('CANCELLED');
  });
});
