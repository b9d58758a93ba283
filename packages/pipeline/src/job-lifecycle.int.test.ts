import type { JobStore, NewClassifyJob } from '@classifyd/store';
import { uniquePrefix } from '@classifyd/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLifecycle } from './job-lifecycle.js';
import { classifyRequest, closeLifecycle, openLifecycle } from './lifecycle.fixture.js';
import type { Queues } from './queues.js';

function request(cacheKey: string, webhooks: NewClassifyJob['spec']['webhooks'] = []): NewClassifyJob {
  return classifyRequest({ cacheKey }, webhooks);
}

describe('JobLifecycle against a real Redis', () => {
  const prefix = uniquePrefix('lifecycle');
  let redis: Redis;
  let queues: Queues;
  let store: JobStore;
  let lifecycle: JobLifecycle;

  beforeAll(() => {
    ({ redis, queues, store, lifecycle } = openLifecycle(prefix));
  });
  afterAll(() => closeLifecycle({ redis, queues }, prefix));

  it('submits: one parse stage job named after the parse job, and webhooks only for subscribed events', async () => {
    const outcome = await lifecycle.submit(
      request('k1', [
        { webhook_url: 'http://hooks.example/all' },
        { webhook_url: 'http://hooks.example/done', webhook_events: ['classify.success'] },
      ]),
    );
    if (outcome.outcome !== 'created') throw new Error('expected a new job');
    expect(await queues.parse.getJob(outcome.parseJobId)).toBeDefined();
    const hooks = await queues.webhook.getJobs(['waiting']);
    expect(hooks.map((h) => h.data)).toEqual([
      expect.objectContaining({ event: 'classify.pending', endpoint: 0 }),
    ]);
    await lifecycle.transition(outcome.job, 'RUNNING');
    await lifecycle.transition(outcome.job, 'COMPLETED', {
      result: { type: 'invoice', confidence: 0.9, reasoning: 'r' },
    });
    const events = (await queues.webhook.getJobs(['waiting']))
      .map((h) => `${h.data.event}#${h.data.endpoint}`)
      .sort();
    expect(events).toEqual([
      'classify.pending#0',
      'classify.running#0',
      'classify.success#0',
      'classify.success#1',
    ]);
    // A refused write notifies no one.
    await lifecycle.transition(outcome.job, 'FAILED');
    expect(await queues.webhook.getJobCounts('waiting')).toEqual({ waiting: 4 });
  });

  it('cancelling the only job waiting on a parse cancels the parse; a shared parse keeps running', async () => {
    const alone = await lifecycle.submit(request('k2'));
    if (alone.outcome !== 'created') throw new Error('expected a new job');
    await lifecycle.cancel(alone.job);
    expect((await store.get(alone.parseJobId))?.status).toBe('CANCELLED');

    const first = await lifecycle.submit(request('k3'));
    const second = await lifecycle.submit(request('k3'));
    if (first.outcome !== 'created' || second.outcome !== 'created') throw new Error('expected new jobs');
    expect(second.parseJobId).toBe(first.parseJobId);
    await lifecycle.cancel(first.job);
    expect((await store.get(first.parseJobId))?.status).toBe('PENDING');
    expect((await store.get(first.job.id))?.status).toBe('CANCELLED');
    // The last job to go stops the parse, though it is not the job the parse was made for.
    await lifecycle.cancel(second.job);
    expect((await store.get(first.parseJobId))?.status).toBe('CANCELLED');
  });

  it('keeps a parse a job joined just before the cancel; a job coming after gets a new one', async () => {
    const first = await lifecycle.submit(request('k7'));
    if (first.outcome !== 'created') throw new Error('expected a new job');
    await store.transition(first.job.id, 'CANCELLED');
    // Joins between the first job's cancel and the check on its parse.
    const joined = await lifecycle.submit(request('k7'));
    if (joined.outcome !== 'created') throw new Error('expected a new job');
    expect(joined.parseJobId).toBe(first.parseJobId);
    const check = await store.transition(first.parseJobId, 'CANCELLED', {}, { onlyIfUnwanted: true });
    expect(check).toMatchObject({ ok: false, reason: 'wanted' });
    await lifecycle.cancel(joined.job);
    expect((await store.get(first.parseJobId))?.status).toBe('CANCELLED');
    const after = await lifecycle.submit(request('k7'));
    if (after.outcome !== 'created') throw new Error('expected a new job');
    expect(after.parseJobId).not.toBe(first.parseJobId);
  });

  it("never cancels a parse job the parse API made: it is its user's", async () => {
    const spec = request('k6').parse;
    if (spec.mode !== 'new') throw new Error('expected a new parse');
    const own = await store.createParseJob('p1', 'u1', spec.spec);
    const onIt = await lifecycle.submit({
      ...request('k6'),
      parse: { mode: 'existing', parseJobId: own.id },
    });
    if (onIt.outcome !== 'created') throw new Error('expected a new job');
    await lifecycle.cancel(onIt.job);
    expect((await store.get(onIt.job.id))?.status).toBe('CANCELLED');
    expect((await store.get(own.id))?.status).toBe('PENDING');
  });

  it('hands a finished parse to its waiters, once each', async () => {
    const outcome = await lifecycle.submit(request('k4'));
    if (outcome.outcome !== 'created') throw new Error('expected a new job');
    await store.transition(outcome.parseJobId, 'RUNNING');
    const done = await store.transition(outcome.parseJobId, 'COMPLETED');
    if (!done.ok) throw new Error('expected completion');
    await lifecycle.releaseWaiters('p1', done.waiters);
    await lifecycle.releaseWaiters('p1', done.waiters);
    expect((await queues.classify.getJobs(['waiting'])).map((j) => j.id)).toEqual([
      `${outcome.job.id}-after-parse`,
    ]);
  });

  it('starts a job at once when it joins a parse a worker has already picked up', async () => {
    const first = await lifecycle.submit(request('k5'));
    if (first.outcome !== 'created') throw new Error('expected a new job');
    await store.transition(first.parseJobId, 'RUNNING');
    const joined = await lifecycle.submit(request('k5'));
    if (joined.outcome !== 'created') throw new Error('expected a new job');
    expect(joined.parseJobId).toBe(first.parseJobId);
    // The answer to the create shows the job as made; the store has it running already.
    expect(joined.job.status).toBe('PENDING');
    expect((await store.get(joined.job.id))?.status).toBe('RUNNING');
  });
});
