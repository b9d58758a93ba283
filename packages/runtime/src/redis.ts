import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describeRedis, type RedisSettings } from './redis-settings.js';

export type { Cluster, Redis };

/** A connection as the apps use it: one Redis (direct or found through Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisRole = 'worker' | 'request';

/**
 * `worker` connections wait out Redis restarts and failovers (BullMQ needs
 * maxRetriesPerRequest null for blocking commands); `request` connections fail fast, so an
 * HTTP call answers 503 instead of hanging while Redis is away.
 */
function roleOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 };
}

/**
 * A connection for `settings`, not yet connected. BullMQ duplicates it for its blocking
 * connections; ioredis copies the Sentinel or Cluster options into each duplicate, so those
 * follow a failover too.
 */
export function createRedis(settings: RedisSettings, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const base = roleOptions(role);
  const auth = settings.password === undefined ? {} : { password: settings.password };
  if (settings.kind === 'cluster') {
    return new Cluster(settings.nodes, {
      lazyConnect: true,
      enableReadyCheck: true,
      enableOfflineQueue: role === 'worker',
      // The node connections carry the role: BullMQ reads maxRetriesPerRequest from here.
      redisOptions: { ...base, ...auth, ...extra },
    });
  }
  if (settings.kind === 'sentinel') {
    return new Redis({
      ...base,
      ...auth,
      sentinels: settings.sentinels,
      name: settings.name,
      // Reconnect as soon as a sentinel announces a new primary, not at the next failed command.
      failoverDetector: true,
      lazyConnect: true,
      ...extra,
    });
  }
  // A password inside the URL wins over REDIS_PASSWORD (ioredis fills only what the URL leaves out).
  return new Redis(settings.url, { ...base, ...auth, lazyConnect: true, ...extra });
}

/** Connects and pings, so wrong settings are reported at boot rather than at the first job. */
export async function connectRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'wait') await redis.connect();
  await redis.ping();
}

export async function quitRedis(redis: RedisClient): Promise<void> {
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
  settings: RedisSettings,
  role: RedisRole,
  logger: {
    warn: (obj: object, msg: string) => void;
    fatal: (obj: object, msg: string) => void;
    flush: () => void;
  },
): Promise<RedisClient> {
  const redis = createRedis(settings, role);
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    await connectRedis(redis);
  } catch (error) {
    const where = describeRedis(settings);
    const fix =
      settings.kind === 'url'
        ? 'start one or point REDIS_URL at it'
        : `check ${settings.kind === 'cluster' ? 'REDIS_CLUSTER_NODES' : 'REDIS_SENTINELS and REDIS_SENTINEL_NAME'} and REDIS_PASSWORD`;
    logger.fatal({ err: (error as Error).message }, `Redis does not answer (${where}); ${fix}`);
    logger.flush();
    process.exit(69);
  }
  return redis;
}
