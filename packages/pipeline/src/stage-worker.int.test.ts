import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { type Job, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeQueues, createQueues, isFinalAttempt, payloadOf, type Queues } from './queues.js';
import { enqueueClassify, enqueueParse } from './stage-jobs.js';
import { createStageWorker } from './stage-worker.js';

describe('stage workers against a real Redis', () => {
  const prefix = uniquePrefix('queues');
  let redis: Redis;
  let queues: Queues;

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    queues = createQueues({ connection: redis, prefix });
  });
  afterAll(async () => {
    await closeQueues(queues);
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  function worker(processor: (job: Job) => Promise<void>, finals: string[]) {
    return createStageWorker('classify', processor, {
      connection: redis,
      prefix,
      concurrency: 1,
      lockDurationMs: 5000,
      stalledIntervalMs: 5000,
      onFinalFailure: async (job, error) => void finals.push(`${job.id}:${error.message}`),
      onError: () => {},
    });
  }

  it('adds a stage job once per store id, however often it is enqueued', async () => {
    await enqueueParse(queues, 'pjb-1', 'p');
    await enqueueParse(queues, 'pjb-1', 'p');
    await enqueueClassify(queues, [
      { classifyJobId: 'clj-1', projectId: 'p' },
      { classifyJobId: 'clj-1', projectId: 'p' },
    ]);
    expect(await queues.parse.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await queues.classify.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await queues.parse.obliterate({ force: true });
    await queues.classify.obliterate({ force: true });
  });

  it('retries a transient failure and reports only the final one, with its attempt count', async () => {
    const finals: string[] = [];
    const seen: boolean[] = [];
    const w = worker(async (job) => {
      seen.push(isFinalAttempt(job));
      throw new Error('flaky');
    }, finals);
    await queues.classify.add(
      'classify',
      { classifyJobId: 'clj-retry', projectId: 'p' },
      { jobId: 'clj-retry', backoff: { type: 'fixed', delay: 10 } },
    );
    void w.run();
    for (let i = 0; i < 100 && finals.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await w.close();
    expect(seen).toEqual([false, false, true]);
    expect(finals).toEqual(['clj-retry:flaky']);
  });

  it('does not retry an unrecoverable failure, and rejects malformed payloads as unrecoverable', async () => {
    const finals: string[] = [];
    let calls = 0;
    const w = worker(async (job) => {
      calls++;
      payloadOf('classify', job);
      throw new UnrecoverableError('bad document');
    }, finals);
    await queues.classify.add('classify', { classifyJobId: 'clj-bad', projectId: 'p' }, { jobId: 'clj-bad' });
    await queues.classify.add('classify', { nonsense: true } as never, { jobId: 'garbage' });
    void w.run();
    for (let i = 0; i < 100 && finals.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await w.close();
    expect(calls).toBe(2);
    expect(finals.sort()).toEqual([
      'clj-bad:bad document',
      expect.stringMatching(/^garbage:malformed classify job payload/),
    ]);
  });
});
