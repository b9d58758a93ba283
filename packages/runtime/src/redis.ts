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

/**
 * An app's Redis connection, connected at boot: connection errors are logged (never
 * thrown at an EventEmitter with no listener), and a Redis that does not answer stops
 * the process with a message that says what to do.
 */
export async function openRedis(
  url: string,
  role: 'worker' | 'request',
  logger: {
    warn: (obj: object, msg: string) => void;
    fatal: (obj: object, msg: string) => void;
    flush: () => void;
  },
): Promise<Redis> {
  const redis = createRedis(url, role);
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    await connectRedis(redis);
  } catch (error) {
    logger.fatal(
      { err: (error as Error).message },
      'Redis does not answer at REDIS_URL; start one or point REDIS_URL at it',
    );
    logger.flush();
    process.exit(69);
  }
  return redis;
}
