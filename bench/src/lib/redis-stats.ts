import type { Redis } from 'ioredis';

/** What INFO says about the work a Redis has done so far: the counters that the capacity figures are deltas of. */
export interface RedisSnapshot {
  /** Calls per command (`cmdstat_<name>`), commands run inside Lua scripts included, as Redis 7 counts them. */
  calls: Record<string, number>;
  usedMemoryBytes: number;
  netInputBytes: number;
  netOutputBytes: number;
  /** used_cpu_user + used_cpu_sys of the server process, seconds. */
  cpuSeconds: number;
}

function fields(info: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const info = fields(await redis.info('all'));
  const calls: Record<string, number> = {};
  for (const [key, value] of info) {
    if (!key.startsWith('cmdstat_')) continue;
    const match = /calls=(\d+)/.exec(value);
    if (match) calls[key.slice('cmdstat_'.length)] = Number(match[1]);
  }
  const num = (key: string) => Number(info.get(key) ?? Number.NaN);
  return {
    calls,
    usedMemoryBytes: num('used_memory'),
    netInputBytes: num('total_net_input_bytes'),
    netOutputBytes: num('total_net_output_bytes'),
    cpuSeconds: num('used_cpu_user') + num('used_cpu_sys'),
  };
}

export interface RedisDelta {
  /** Every call between the snapshots, less the bench's own (INFO, and the `own` calls it names). */
  calls: number;
  /** The same, by command, largest first. */
  byCommand: Record<string, number>;
  memoryBytes: number;
  netInputBytes: number;
  netOutputBytes: number;
  cpuSeconds: number;
}

/** after - before; `own` are calls the bench itself made in between (its polling), taken out. */
export function redisDelta(
  before: RedisSnapshot,
  after: RedisSnapshot,
  own: Record<string, number> = {},
): RedisDelta {
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.calls)) {
    if (name === 'info') continue;
    const delta = calls - (before.calls[name] ?? 0) - (own[name] ?? 0);
    if (delta > 0) byCommand[name] = delta;
  }
  const sorted = Object.fromEntries(Object.entries(byCommand).sort((a, b) => b[1] - a[1]));
  return {
    calls: Object.values(byCommand).reduce((sum, n) => sum + n, 0),
    byCommand: sorted,
    memoryBytes: after.usedMemoryBytes - before.usedMemoryBytes,
    netInputBytes: after.netInputBytes - before.netInputBytes,
    netOutputBytes: after.netOutputBytes - before.netOutputBytes,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
  };
}
