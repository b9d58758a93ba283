import type {} from 'vitest';
import { startTestRedis } from './test-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

interface SetupProject {
  provide(key: 'redisUrl', value: string): void;
}

/** vitest globalSetup: one Redis for the whole run, handed to tests with inject('redisUrl'). */
export default async function setup(project: SetupProject): Promise<() => Promise<void>> {
  const redis = await startTestRedis(process.env);
  process.stderr.write(`[testkit] Redis from ${redis.source}\n`);
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
