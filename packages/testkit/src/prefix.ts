import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A queue/store prefix no other test run shares, since the Redis may be shared. */
export function uniquePrefix(label: string): string {
  return `cdtest-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Removes every key under the prefix (store keys and BullMQ keys alike). */
export async function removePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
