import type { Cluster, Redis } from 'ioredis';

/**
 * The example store's Lua scripts. Each declares every key it touches (the caller
 * computes them in example-store.ts), so that they run unchanged on Redis Cluster.
 */

/**
 * Add a PENDING example, only while its configuration exists in the project and holds
 * fewer than the limit: checked in the same step as the write, so concurrent adds cannot
 * pass the limit together, nor add to a configuration being deleted.
 * KEYS: configuration, example, index (all), index (type), index (PENDING), index (type, PENDING).
 * ARGV: project, limit, member, then field/value pairs of the example.
 * Returns 'created' | 'no_configuration' | 'limit'.
 */
const CREATE_EXAMPLE = `
local project, limit, member = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if redis.call('HGET', KEYS[1], 'project_id') ~= project then return 'no_configuration' end
if redis.call('ZCARD', KEYS[3]) >= limit then return 'limit' end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for k = 3, 6 do redis.call('ZADD', KEYS[k], 0, member) end
return 'created'
`;

/**
 * Move a PENDING example to READY (keeping its text, bumping the configuration's example
 * version) or to FAILED (with the reason). An example that is gone or already settled is
 * left as it is. KEYS: example, text, index (PENDING), index (target), index (type, PENDING),
 * index (type, target), version. ARGV: target, now, text, error message, name.
 * Returns 'ok' | 'gone' | the status it already has.
 */
const SETTLE_EXAMPLE = `
local target, now, text, message, name = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local h = redis.call('HMGET', KEYS[1], 'status', 'idx')
if not h[1] then return 'gone' end
if h[1] ~= 'PENDING' then return h[1] end
redis.call('HSET', KEYS[1], 'status', target, 'updated_at', now, 'error_message', message)
if name ~= '' then redis.call('HSET', KEYS[1], 'name', name) end
redis.call('ZREM', KEYS[3], h[2])
redis.call('ZREM', KEYS[5], h[2])
redis.call('ZADD', KEYS[4], 0, h[2])
redis.call('ZADD', KEYS[6], 0, h[2])
if target == 'READY' then
  redis.call('SET', KEYS[2], text)
  redis.call('INCR', KEYS[7])
end
return 'ok'
`;

/**
 * Delete an example, its text and its index entries; a READY one changes the set the
 * classifier reads, so the version moves. KEYS: example, text, version, index (all),
 * index (type), then the status indexes and the (type, status) indexes for every status.
 * Returns 1 when it was there.
 */
const DELETE_EXAMPLE = `
local h = redis.call('HMGET', KEYS[1], 'status', 'idx')
if not h[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
for k = 4, #KEYS do redis.call('ZREM', KEYS[k], h[2]) end
if h[1] == 'READY' then redis.call('INCR', KEYS[3]) end
return 1
`;

const EXAMPLE_SCRIPTS = {
  cdCreateExample: { keys: 6, lua: CREATE_EXAMPLE },
  cdSettleExample: { keys: 7, lua: SETTLE_EXAMPLE },
  cdDeleteExample: { keys: 11, lua: DELETE_EXAMPLE },
} as const;

export type ExampleScriptName = keyof typeof EXAMPLE_SCRIPTS;
export type ExampleScriptRunner = (
  name: ExampleScriptName,
  keys: string[],
  args: (string | number)[],
) => Promise<unknown>;

type Command = (...args: (string | number)[]) => Promise<unknown>;

export function registerExampleScripts(redis: Redis | Cluster): ExampleScriptRunner {
  for (const [name, { keys, lua }] of Object.entries(EXAMPLE_SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: keys, lua });
  }
  return (name, keys, args) => {
    if (keys.length !== EXAMPLE_SCRIPTS[name].keys)
      throw new Error(`${name} takes ${EXAMPLE_SCRIPTS[name].keys} keys`);
    return (redis as unknown as Record<ExampleScriptName, Command>)[name](...keys, ...args);
  };
}
