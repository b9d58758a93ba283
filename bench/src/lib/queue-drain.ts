import type { Redis } from 'ioredis';
import { round } from './stats.js';

/** The bench's own Redis calls while it waits, so that capacity figures can leave them out. */
export interface OwnCalls {
  zcount: number;
  zrangebyscore: number;
}

export function noOwnCalls(): OwnCalls {
  return { zcount: 0, zrangebyscore: 0 };
}

export interface Drain {
  /** finishedOn of each job that completed after `sinceMs`, ascending (BullMQ's completed set is scored by it). */
  finishedAtMs: number[];
  failed: number;
}

/**
 * Waits until `count` jobs of a classifyd queue have completed or failed since `sinceMs`.
 * It reads BullMQ's completed and failed sets (two ZCOUNTs a poll) rather than asking the API,
 * so that the API takes no part in the window. Finished jobs stay in those sets for an hour,
 * up to 1,000 per queue (packages/pipeline defaultJobOptions), so `count` must stay below that.
 */
export async function waitForFinished(
  redis: Redis,
  keyPrefix: string,
  queue: string,
  count: number,
  options: { sinceMs: number; timeoutMs: number; own: OwnCalls; alive?: () => string | null },
): Promise<Drain> {
  const completedKey = `${keyPrefix}:${queue}:completed`;
  const failedKey = `${keyPrefix}:${queue}:failed`;
  const since = String(options.sinceMs);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const [completed, failed] = await Promise.all([
      redis.zcount(completedKey, since, '+inf'),
      redis.zcount(failedKey, since, '+inf'),
    ]);
    options.own.zcount += 2;
    if (completed + failed >= count) {
      const scored = await redis.zrangebyscore(completedKey, since, '+inf', 'WITHSCORES');
      options.own.zrangebyscore += 1;
      const finishedAtMs = scored.filter((_, i) => i % 2 === 1).map(Number);
      return { finishedAtMs: finishedAtMs.sort((a, b) => a - b), failed };
    }
    const dead = options.alive?.();
    if (dead) throw new Error(dead);
    if (Date.now() > deadline) {
      throw new Error(
        `${queue}: ${completed} completed and ${failed} failed of ${count} after ${options.timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Jobs per second while every worker slot was busy: between the `slots`-th finish (each slot's
 * first job also starts the process's OCR thread or loads its rules) and the `slots`-th finish
 * from the end (after it, the queue is empty and slots fall idle one by one).
 */
export function steadyRate(finishedAtMs: readonly number[], slots: number): number | null {
  const first = slots - 1;
  const last = finishedAtMs.length - slots;
  if (last - first < 2) return null;
  const seconds = ((finishedAtMs[last] as number) - (finishedAtMs[first] as number)) / 1000;
  return seconds > 0 ? round((last - first) / seconds, 2) : null;
}
