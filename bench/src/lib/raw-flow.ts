import type { Classification } from '@classifyd/shared';
import type { DefaultJobOptions } from 'bullmq';

/** The raw baseline's queue names and job shapes, shared by its driver and its two workers. */
export const RAW_PARSE_QUEUE = 'parse';
export const RAW_CLASSIFY_QUEUE = 'classify';

export interface RawParseData {
  path: string;
}

export interface RawPage {
  page_number: number;
  text: string;
}

export interface RawClassifyData {
  rules: { type: string; description: string }[];
}

export type RawClassifyResult = Classification;

/** What classifyd's queues use (packages/queues defaultJobOptions), so both keep the same in Redis. */
export const RAW_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

export function rawWorkerSettings(env: NodeJS.ProcessEnv) {
  const redisUrl = env.BENCH_REDIS_URL;
  const prefix = env.BENCH_PREFIX;
  const concurrency = Number(env.BENCH_CONCURRENCY);
  if (!redisUrl || !prefix || !(concurrency >= 1)) {
    throw new Error('BENCH_REDIS_URL, BENCH_PREFIX and BENCH_CONCURRENCY (>= 1) must be set');
  }
  return { redisUrl, prefix, concurrency };
}
