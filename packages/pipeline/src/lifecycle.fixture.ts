import type { ClassifyConfiguration } from '@classifyd/shared';
import { JobStore, type NewClassifyJob, type ParseSpec } from '@classifyd/store';
import { removePrefix } from '@classifyd/testkit';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { JobLifecycle } from './job-lifecycle.js';
import { closeQueues, createQueues, type Queues } from './queues.js';

/** What the pipeline's tests submit: one rule, a file of project p1, a parse read to the end. */
export const configuration: ClassifyConfiguration = {
  rules: [{ type: 'invoice', description: 'A bill asking for payment' }],
  mode: 'FAST',
  parsing_configuration: null,
};

export const parseSpec: ParseSpec = {
  source: { type: 'file', file_id: 'dfl-x', sha256: 'h' },
  name: 'x',
  target_pages: null,
  max_pages: null,
  lang: 'en',
};

/** A classify job on file dfl-x (a new parse, shared by jobs with the same cache key), or on a parse job given by id. */
export function classifyRequest(
  on: { cacheKey: string } | { parseJobId: string },
  webhooks: NewClassifyJob['spec']['webhooks'] = [],
): NewClassifyJob {
  const byId = 'parseJobId' in on;
  return {
    projectId: 'p1',
    userId: 'u1',
    spec: {
      configuration,
      configuration_id: null,
      document_input_type: byId ? 'parse_job_id' : 'file_id',
      file_input: byId ? on.parseJobId : 'dfl-x',
      transaction_id: null,
      webhooks,
    },
    parse: byId
      ? { mode: 'existing', parseJobId: on.parseJobId }
      : { mode: 'new', cacheKey: on.cacheKey, spec: parseSpec },
  };
}

export interface LifecycleHarness {
  redis: Redis;
  queues: Queues;
  store: JobStore;
  lifecycle: JobLifecycle;
}

/** The test run's Redis, with queues, store and lifecycle under `prefix`. */
export function openLifecycle(prefix: string): LifecycleHarness {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const queues = createQueues({ connection: redis, prefix });
  const store = new JobStore(redis, { queuePrefix: prefix, retentionSeconds: 60 });
  // The file the jobs read (a job is made only on a file that exists); sent first on the
  // connection the store uses, so it is there before any job.
  void redis.hset(
    `${prefix}:s:file:${parseSpec.source.type === 'file' ? parseSpec.source.file_id : ''}`,
    'project_id',
    'p1',
  );
  return { redis, queues, store, lifecycle: new JobLifecycle(store, queues) };
}

/** Closes what openLifecycle opened and removes every key under `prefix`. */
export async function closeLifecycle(
  harness: Pick<LifecycleHarness, 'redis' | 'queues'>,
  prefix: string,
): Promise<void> {
  await closeQueues(harness.queues);
  await removePrefix(harness.redis, prefix);
  harness.redis.disconnect();
}
