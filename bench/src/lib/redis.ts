import { spawnRedisServer, startTestRedis } from '@classifyd/testkit';

export interface BenchRedis {
  url: string;
  /** Where it came from, for the results file. */
  source: 'env' | 'private' | 'shared';
  stop(): Promise<void>;
}

/**
 * The Redis of a bench run. REDIS_URL wins; otherwise a private redis-server (no persistence)
 * so that other users of a shared 127.0.0.1:6379 do not take part in the figures; otherwise
 * whatever the test kit finds.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'env', stop: async () => {} };
  const own = await spawnRedisServer();
  if (own) return { url: own.url, source: 'private', stop: () => own.stop() };
  const shared = await startTestRedis(process.env);
  return { url: shared.url, source: 'shared', stop: () => shared.stop() };
}
