import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * `worker` connections wait out Redis restarts (BullMQ needs maxRetriesPerRequest
 * null for blocking commands); `request` connections fail fast, so an HTTP call
 * answers 503 instead of hanging while Redis is away.
 */
export function createRedis(url: string, role: 'worker' | 'request', extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 };
  return new Redis(url, { ...base, lazyConnect: true, ...extra });
}

/** Connects and pings, so a wrong REDIS_URL is reported at boot rather than at the first job. */
export async function connectRedis(redis: Redis): Promise<void> {
  if (redis.status === 'wait') await redis.connect();
  await redis.ping();
}

export async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
