import { type ClassifyConfiguration, JOB_STATUSES } from '@classifyd/shared';
import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobStore, type NewClassifyJob } from './job-store.js';

const configuration: ClassifyConfiguration = {
  rules: [{ type: 'invoice', description: 'A bill asking for payment' }],
  mode: 'FAST',
  parsing_configuration: null,
};

const FILE_ID = 'dfl-00000000-0000-4000-8000-000000000001';

function newJob(
  overrides: Partial<NewClassifyJob['spec']> = {},
  cacheKey: string | null = null,
): NewClassifyJob {
  return {
    projectId: 'p1',
    userId: 'u1',
    spec: {
      configuration,
      configuration_id: null,
      document_input_type: 'file_id',
      file_input: 'dfl-00000000-0000-4000-8000-000000000001',
      transaction_id: null,
      webhooks: [],
      ...overrides,
    },
    parse: {
      mode: 'new',
      cacheKey,
      spec: {
        source: { type: 'file', file_id: FILE_ID, sha256: 'abc' },
        name: 'a.txt',
        target_pages: null,
        max_pages: null,
        lang: 'en',
      },
    },
  };
}

describe('JobStore against a real Redis', () => {
  const prefix = uniquePrefix('store');
  let redis: Redis;
  let store: JobStore;

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    store = new JobStore(redis, { queuePrefix: prefix, retentionSeconds: 60 });
    // The file the jobs read: a job is made only on a file that exists.
    await redis.hset(`${prefix}:s:file:${FILE_ID}`, 'project_id', 'p1');
  });
  afterAll(async () => {
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  it('creates a classify job and its parse job, PENDING, waiting on the parse', async () => {
    const created = await store.createClassifyJob(newJob());
    expect(created.outcome).toBe('created');
    if (created.outcome !== 'created') return;
    expect(created.job.status).toBe('PENDING');
    expect(created.parseCreated).toBe(true);
    expect(created.job.parseJobId).toBe(created.parseJobId);
    expect(await store.waiters(created.parseJobId)).toEqual([created.job.id]);
  });

  it('makes no job on a file deleted since the caller read it', async () => {
    const gone = newJob();
    if (gone.parse.mode !== 'new') throw new Error('a new parse is expected');
    gone.parse.spec = { ...gone.parse.spec, source: { type: 'file', file_id: 'dfl-gone', sha256: 'x' } };
    const before = (await redis.keys(`${prefix}:s:job:*`)).length;
    await expect(store.createClassifyJob(gone)).rejects.toThrow(/File dfl-gone not found/);
    expect(await redis.keys(`${prefix}:s:job:*`)).toHaveLength(before);
  });

  it('gives one job for 20 concurrent creates with one transaction_id', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.createClassifyJob(newJob({ transaction_id: 'tx-1' }))),
    );
    const ids = new Set(results.map((r) => r.job.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
  });

  it('reuses a live parse job through the content cache, and not a failed one', async () => {
    const first = await store.createClassifyJob(newJob({}, 'sha:all:en'));
    const second = await store.createClassifyJob(newJob({}, 'sha:all:en'));
    if (first.outcome !== 'created' || second.outcome !== 'created') throw new Error('expected creates');
    expect(second.parseJobId).toBe(first.parseJobId);
    expect(second.parseCreated).toBe(false);
    await store.transition(first.parseJobId, 'RUNNING');
    await store.transition(first.parseJobId, 'FAILED', { error_message: 'broken' });
    const third = await store.createClassifyJob(newJob({}, 'sha:all:en'));
    if (third.outcome !== 'created') throw new Error('expected create');
    expect(third.parseJobId).not.toBe(first.parseJobId);
  });

  it('applies only transitions the shared table allows, atomically under races', async () => {
    const created = await store.createClassifyJob(newJob());
    const id = created.job.id;
    expect((await store.transition(id, 'COMPLETED')).ok).toBe(false);
    expect((await store.transition(id, 'RUNNING')).ok).toBe(true);
    // A cancel and a completion race: exactly one wins, and the loser cannot overwrite it.
    const [cancel, complete] = await Promise.all([
      store.transition(id, 'CANCELLED'),
      store.transition(id, 'COMPLETED', { result: { type: 'invoice', confidence: 0.9, reasoning: 'r' } }),
    ]);
    expect([cancel.ok, complete.ok].filter(Boolean)).toHaveLength(1);
    const final = await store.get(id);
    const late = await store.transition(id, 'FAILED', { error_message: 'late' });
    expect(late).toMatchObject({ ok: false, reason: 'refused' });
    expect((await store.get(id))?.status).toBe(final?.status);
  });

  it('records a correction only on a COMPLETED job of the project, handing back the one it replaces', async () => {
    const created = await store.createClassifyJob(newJob());
    const id = created.job.id;
    const first = { type: 'invoice', created_at: new Date().toISOString(), example_id: 'exm-1' };
    expect(await store.setCorrection('p1', id, first)).toEqual({ ok: false, reason: 'PENDING' });
    await store.transition(id, 'RUNNING');
    await store.transition(id, 'COMPLETED', { result: { type: 'receipt', confidence: 0.6, reasoning: 'r' } });
    expect(await store.setCorrection('p2', id, first)).toEqual({ ok: false, reason: 'not_found' });
    expect(await store.setCorrection('p1', id, first)).toEqual({ ok: true, previous: null });
    const second = { ...first, type: null, example_id: 'exm-2' };
    expect(await store.setCorrection('p1', id, second)).toEqual({ ok: true, previous: first });
    const job = await store.getClassifyJob('p1', id);
    expect(job?.correction).toEqual(second);
  });

  it('returns the waiters of a parse job when it finishes', async () => {
    const created = await store.createClassifyJob(newJob({}, 'waiters'));
    if (created.outcome !== 'created') throw new Error('expected create');
    await store.transition(created.parseJobId, 'RUNNING');
    const done = await store.transition(created.parseJobId, 'COMPLETED');
    expect(done).toMatchObject({ ok: true, waiters: [created.job.id] });
  });

  it('stores parse output with its COMPLETED, and only then: never for a parse cancelled meanwhile', async () => {
    const make = async (file: string) => {
      const created = await store.createClassifyJob(newJob({ file_input: file }));
      if (created.outcome !== 'created') throw new Error(created.outcome);
      return created.parseJobId;
    };
    const pages = { format: 'text', page_count: 1, pages: [] } as never;
    const early = await make('dfl-00000000-0000-4000-8000-0000000000aa');
    expect(await store.transition(early, 'COMPLETED', { pages })).toMatchObject({
      ok: false,
      current: 'PENDING',
    });
    expect(await store.getParseOutput(early)).toBeNull();

    const cancelled = await make('dfl-00000000-0000-4000-8000-0000000000ab');
    await store.transition(cancelled, 'RUNNING');
    await store.transition(cancelled, 'CANCELLED');
    expect(await store.transition(cancelled, 'COMPLETED', { pages })).toMatchObject({ ok: false });
    expect(await store.getParseOutput(cancelled)).toBeNull();

    const done = await make('dfl-00000000-0000-4000-8000-0000000000ac');
    await store.transition(done, 'RUNNING');
    expect(await store.transition(done, 'COMPLETED', { pages })).toMatchObject({ ok: true });
    expect(await store.getParseOutput(done)).toEqual({ format: 'text', page_count: 1, pages: [] });
  });

  it('lists newest first with exact cursors and status filters', async () => {
    const listPrefix = uniquePrefix('list');
    const listStore = new JobStore(redis, { queuePrefix: listPrefix, retentionSeconds: 60 });
    await redis.hset(`${listPrefix}:s:file:${FILE_ID}`, 'project_id', 'p1');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await listStore.createClassifyJob(newJob())).job.id);
    await listStore.transition(ids[2] as string, 'CANCELLED');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const { jobs, page } = await listStore.listClassifyJobs('p1', { pageSize: 3, pageToken: token });
      expect(page.totalSize).toBe(7);
      seen.push(...jobs.map((j) => j.id));
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(seen).toEqual([...ids].reverse());
    const cancelled = await listStore.listClassifyJobs('p1', { pageSize: 10, status: 'CANCELLED' });
    expect(cancelled.jobs.map((j) => j.id)).toEqual([ids[2]]);
    expect((await listStore.listClassifyJobs('p2', { pageSize: 10 })).jobs).toEqual([]);
    await removePrefix(redis, listPrefix);
  });

  it('deletes only terminal jobs, and the sweeper removes expired ones', async () => {
    const sweepPrefix = uniquePrefix('sweep');
    const short = new JobStore(redis, { queuePrefix: sweepPrefix, retentionSeconds: 0 });
    await redis.hset(`${sweepPrefix}:s:file:${FILE_ID}`, 'project_id', 'p1');
    const created = await short.createClassifyJob(newJob());
    expect(await short.delete('p1', 'classify', created.job.id)).toMatchObject({
      deleted: false,
      reason: 'not_terminal',
    });
    expect(await short.delete('p2', 'classify', created.job.id)).toMatchObject({
      deleted: false,
      reason: 'not_found',
    });
    await short.transition(created.job.id, 'CANCELLED');
    expect(await short.sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await short.get(created.job.id)).toBeNull();
    const { jobs, page } = await short.listClassifyJobs('p1', { pageSize: 10, status: 'CANCELLED' });
    expect(jobs).toEqual([]);
    expect(page.totalSize).toBe(0);
    expect(JOB_STATUSES).toContain('CANCELLED');
    await removePrefix(redis, sweepPrefix);
  });
});
