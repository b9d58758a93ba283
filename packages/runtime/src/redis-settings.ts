/**
 * How the apps reach Redis: one URL, a Sentinel group that names the current primary, or a
 * Redis Cluster. Read once from the parsed env and handed to `openRedis`/`createRedis`, so
 * that every connection of an app (store, queues, workers, rate limiter) takes the same road.
 */
export interface HostPort {
  host: string;
  port: number;
}

export type RedisSettings =
  | { kind: 'url'; url: string; password?: string | undefined }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string | undefined }
  | { kind: 'cluster'; nodes: HostPort[]; password?: string | undefined };

/** The env fields the settings come from, as `envFields` parses them. */
export interface RedisEnv {
  REDIS_URL: string;
  REDIS_SENTINELS?: HostPort[] | undefined;
  REDIS_SENTINEL_NAME: string;
  REDIS_CLUSTER_NODES?: HostPort[] | undefined;
  REDIS_PASSWORD?: string | undefined;
  QUEUE_PREFIX: string;
}

/**
 * `host:port,host:port`; returns the reason when the list is malformed. IPv6 hosts go in
 * brackets (`[::1]:26379`), as in a URL.
 */
export function parseHostList(list: string): HostPort[] | string {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return 'must list at least one host:port';
  const parsed: HostPort[] = [];
  for (const entry of entries) {
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) return `"${entry}" is not host:port`;
    parsed.push({ host: (match[1] as string).replace(/^\[|\]$/g, ''), port });
  }
  return parsed;
}

/**
 * On a Cluster every key of one deployment must hash to one slot (the store's scripts and
 * BullMQ's touch several keys at once), so the prefix must carry a `{...}` hash tag.
 */
export function clusterPrefix(queuePrefix: string): string {
  return /\{[^{}]+\}/.test(queuePrefix) ? queuePrefix : `{${queuePrefix}}`;
}

/** The one place the Redis settings are read: sentinels or cluster nodes replace REDIS_URL. */
export function readRedisSettings(env: RedisEnv): { redis: RedisSettings; queuePrefix: string } {
  const password = env.REDIS_PASSWORD;
  if (env.REDIS_CLUSTER_NODES) {
    return {
      redis: { kind: 'cluster', nodes: env.REDIS_CLUSTER_NODES, password },
      queuePrefix: clusterPrefix(env.QUEUE_PREFIX),
    };
  }
  if (env.REDIS_SENTINELS) {
    return {
      redis: { kind: 'sentinel', sentinels: env.REDIS_SENTINELS, name: env.REDIS_SENTINEL_NAME, password },
      queuePrefix: env.QUEUE_PREFIX,
    };
  }
  return { redis: { kind: 'url', url: env.REDIS_URL, password }, queuePrefix: env.QUEUE_PREFIX };
}

/** Where the settings point, for log lines and error messages: never a password. */
export function describeRedis(settings: RedisSettings): string {
  const list = (hosts: HostPort[]) => hosts.map((h) => `${h.host}:${h.port}`).join(',');
  if (settings.kind === 'sentinel') return `Sentinel group ${settings.name} at ${list(settings.sentinels)}`;
  if (settings.kind === 'cluster') return `Redis Cluster at ${list(settings.nodes)}`;
  try {
    const url = new URL(settings.url);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'REDIS_URL';
  }
}
