import type { Redis } from 'ioredis';

export interface KeyFamily {
  /** The key with its prefix cut and its ids replaced by `*`. */
  family: string;
  keys: number;
  /** MEMORY USAGE summed over the family's keys. */
  bytes: number;
  /** Keys of the family that expire (have a TTL). */
  withTtl: number;
}

/**
 * One id-like segment (clj-<uuid>, a hash, a number) or an index member. A stage job released
 * by its parse's end is named `<id>-after-parse` in BullMQ, and belongs with the others.
 */
const ID_SEGMENT = /^(?:[a-z]{3}-[0-9a-f-]{36}|[0-9a-f]{32,}|\d+|[0-9a-f-]{36})(?:-after-parse)?$/;

function familyOf(key: string, prefix: string): string {
  return key
    .slice(prefix.length + 1)
    .split(':')
    .map((segment) => (ID_SEGMENT.test(segment) ? '*' : segment))
    .join(':');
}

/**
 * Every key under `prefix`, grouped by family, with the memory each family takes and how
 * many of its keys expire: what a job leaves in Redis, and for how long.
 */
export async function keyCensus(redis: Redis, prefix: string): Promise<KeyFamily[]> {
  const families = new Map<string, KeyFamily>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) {
      // SAMPLES 0: every element counted; the default samples five, which undercounts large sets.
      pipeline.memory('USAGE', key, 'SAMPLES', 0);
      pipeline.pttl(key);
    }
    const answers = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const name = familyOf(key, prefix);
      const entry = families.get(name) ?? { family: name, keys: 0, bytes: 0, withTtl: 0 };
      entry.keys += 1;
      entry.bytes += Number(answers[2 * i]?.[1] ?? 0);
      if (Number(answers[2 * i + 1]?.[1] ?? -1) > 0) entry.withTtl += 1;
      families.set(name, entry);
    });
  } while (cursor !== '0');
  return [...families.values()].sort((a, b) => b.bytes - a.bytes);
}
