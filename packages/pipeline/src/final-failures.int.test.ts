import { ExampleStore, type JobStore } from '@classifyd/store';
import { uniquePrefix } from '@classifyd/testkit';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalFailureRecorders, settleFinalFailures } from './final-failures.js';
import type { JobLifecycle } from './job-lifecycle.js';
import { classifyRequest, closeLifecycle, openLifecycle } from './lifecycle.fixture.js';
import type { Queues } from './queues.js';

describe('final failures whose worker died before recording them', () => {
  const prefix = uniquePrefix('final-failures');
  let redis: Redis;
  let queues: Queues;
  let store: JobStore;
  let lifecycle: JobLifecycle;

  beforeAll(() => {
    ({ redis, queues, store, lifecycle } = openLifecycle(prefix));
  });
  afterAll(() => closeLifecycle({ redis, queues }, prefix));

  it('are recorded by the settling pass: the parse FAILED with the policy wording, its waiters sent on', async () => {
    const outcome = await lifecycle.submit(classifyRequest({ cacheKey: 'k-final' }));
    if (outcome.outcome !== 'created') throw new Error('expected a new job');
    await store.transition(outcome.parseJobId, 'RUNNING');
    const since = Date.now() - 1000;
    // A worker that fails the parse for good but records nothing: as if killed right after.
    const worker = new Worker(
      'parse',
      async () => {
        throw new UnrecoverableError('the document could not be read');
      },
      { connection: redis, prefix, autorun: true },
    );
    const failed = new Promise((resolve) => worker.once('failed', resolve));
    await failed;
    await worker.close();
    expect((await store.getParseJob('p1', outcome.parseJobId))?.status).toBe('RUNNING');

    const recorders = finalFailureRecorders({ lifecycle, examples: new ExampleStore(redis, prefix) });
    expect(await settleFinalFailures(queues, recorders, since)).toBe(1);
    const parse = await store.getParseJob('p1', outcome.parseJobId);
    expect(parse?.status).toBe('FAILED');
    expect(parse?.errorMessage).toBe('the document could not be read');
    // The classify job waiting on it goes to its stage, where it fails saying why.
    expect(await queues.classify.getJob(`${outcome.job.id}-after-parse`)).toBeDefined();

    // A second pass finds it recorded: nothing changes, the waiter is not enqueued twice.
    expect(await settleFinalFailures(queues, recorders, since)).toBe(1);
    expect(await queues.classify.count()).toBe(1);
    // Failures from before the window are left alone.
    expect(await settleFinalFailures(queues, recorders, Date.now() + 1000)).toBe(0);
  });
});
