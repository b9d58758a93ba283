import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envFields, parseEnv, redisEnv } from './env.js';
import { createRedis } from './redis.js';
import { clusterPrefix, describeRedis, parseHostList, readRedisSettings } from './redis-settings.js';

const schema = z.object(redisEnv).superRefine(envFields.oneRedisTopology);

const settingsOf = (env: Record<string, string>) => readRedisSettings(parseEnv(schema, env));

describe('host lists', () => {
  it.each([
    ['10.0.0.1:26379', [{ host: '10.0.0.1', port: 26379 }]],
    [
      'sentinel-a:26379, sentinel-b:26380 ,',
      [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
      ],
    ],
    ['[::1]:7000', [{ host: '::1', port: 7000 }]],
  ])('reads %j', (list, expected) => {
    expect(parseHostList(list)).toEqual(expected);
  });

  it.each([
    ['', 'must list at least one host:port'],
    [' , ', 'must list at least one host:port'],
    ['sentinel-a', '"sentinel-a" is not host:port'],
    ['sentinel-a:0', '"sentinel-a:0" is not host:port'],
    ['sentinel-a:70000', '"sentinel-a:70000" is not host:port'],
    ['redis://sentinel-a:26379', '"redis://sentinel-a:26379" is not host:port'],
  ])('refuses %j', (list, reason) => {
    expect(parseHostList(list)).toBe(reason);
  });
});

describe('Redis settings', () => {
  it('uses REDIS_URL when neither sentinels nor cluster nodes are set', () => {
    expect(settingsOf({ REDIS_URL: 'redis://:pw@cache:6380' })).toEqual({
      redis: { kind: 'url', url: 'redis://:pw@cache:6380', password: undefined },
      queuePrefix: 'classifyd',
    });
  });

  it('reads a Sentinel group, named mymaster unless told, with the data nodes password', () => {
    expect(settingsOf({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_PASSWORD: 'secret' })).toEqual({
      redis: {
        kind: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
        ],
        name: 'mymaster',
        password: 'secret',
      },
      queuePrefix: 'classifyd',
    });
    expect(settingsOf({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'jobs' }).redis).toMatchObject({
      name: 'jobs',
    });
  });

  it('reads a Cluster and wraps a prefix without a hash tag in one', () => {
    const { redis, queuePrefix } = settingsOf({
      REDIS_CLUSTER_NODES: 'n1:7000,n2:7001',
      QUEUE_PREFIX: 'prod',
    });
    expect(redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: undefined,
    });
    expect(queuePrefix).toBe('{prod}');
  });

  it.each([
    ['classifyd', '{classifyd}'],
    ['{classifyd}', '{classifyd}'],
    ['team-{jobs}', 'team-{jobs}'],
    ['{}', '{{}}'],
  ])('a Cluster prefix %s becomes %s', (prefix, expected) => {
    expect(clusterPrefix(prefix)).toBe(expected);
  });

  it('leaves the prefix alone outside a Cluster', () => {
    expect(settingsOf({ REDIS_SENTINELS: 's1:26379', QUEUE_PREFIX: 'prod' }).queuePrefix).toBe('prod');
  });

  it('treats an empty REDIS_PASSWORD as unset', () => {
    expect(settingsOf({ REDIS_SENTINELS: 's1:26379', REDIS_PASSWORD: '' }).redis.password).toBeUndefined();
  });

  it('describes where it points without the password', () => {
    expect(describeRedis({ kind: 'url', url: 'redis://:hunter2@cache:6380/2' })).toBe('redis://cache:6380');
    expect(describeRedis(settingsOf({ REDIS_SENTINELS: 's1:26379', REDIS_PASSWORD: 'hunter2' }).redis)).toBe(
      'Sentinel group mymaster at s1:26379',
    );
  });
});

describe('bad Redis settings stop the process naming the variable', () => {
  const module = fileURLToPath(new URL('../dist/env.js', import.meta.url));
  const run = (env: Record<string, string>) => {
    const script = `import('${module}').then(({ parseEnv, envFields }) => import('zod').then(({ z }) =>
      parseEnv(z.object({
        REDIS_SENTINELS: envFields.redisSentinels,
        REDIS_CLUSTER_NODES: envFields.redisClusterNodes,
        REDIS_PASSWORD: envFields.redisPassword,
      }).superRefine(envFields.oneRedisTopology), JSON.parse(process.env.CASE))))`;
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      env: { ...process.env, CASE: JSON.stringify(env) },
    });
  };

  it('refuses sentinels and cluster nodes together', () => {
    const result = run({ REDIS_SENTINELS: 's1:26379', REDIS_CLUSTER_NODES: 'n1:7000' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'REDIS_CLUSTER_NODES: cannot be set together with REDIS_SENTINELS; choose Sentinel or Cluster',
    );
  });

  it('refuses a malformed list, and never echoes the password', () => {
    const result = run({ REDIS_SENTINELS: 's1', REDIS_PASSWORD: 'hunter2', REDIS_CLUSTER_NODES: 'n1:7000' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('REDIS_SENTINELS: "s1" is not host:port');
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('connections made from the settings (not connected)', () => {
  it('keeps a password written in REDIS_URL over REDIS_PASSWORD, and uses REDIS_PASSWORD otherwise', () => {
    const inUrl = createRedis({ kind: 'url', url: 'redis://:in-url@cache:6379', password: 'env' }, 'request');
    const fromEnv = createRedis({ kind: 'url', url: 'redis://cache:6379', password: 'env' }, 'request');
    expect([(inUrl as Redis).options.password, (fromEnv as Redis).options.password]).toEqual([
      'in-url',
      'env',
    ]);
  });

  it('asks the sentinels for the named primary, with the password for the data nodes', () => {
    const redis = createRedis(
      { kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }], name: 'jobs', password: 'pw' },
      'worker',
    ) as Redis;
    expect(redis).toBeInstanceOf(Redis);
    expect(redis.options).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'jobs',
      password: 'pw',
      maxRetriesPerRequest: null,
    });
  });

  it('makes a Cluster whose node connections carry the role BullMQ checks', () => {
    const cluster = createRedis(
      { kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }], password: 'pw' },
      'worker',
    );
    expect(cluster).toBeInstanceOf(Cluster);
    expect((cluster as Cluster).options.redisOptions).toMatchObject({
      password: 'pw',
      maxRetriesPerRequest: null,
    });
  });
});
