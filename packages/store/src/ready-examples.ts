import type { LabelledExample } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { idFromMember } from './keys.js';

/** What a classify job reads on every run: cheap, so it is read before anything is loaded. */
export interface ReadyExamples {
  version: number;
  count: number;
}

/** Where one configuration's READY set lives: its index, the counter of its changes, its records. */
export interface ReadySetKeys {
  readyIndex: string;
  version: string;
  example: (id: string) => string;
  text: (id: string) => string;
}

const LOAD_BATCH = 500;

type Replies = [Error | null, unknown][] | null;

function resultsOf(replies: Replies): unknown[] {
  return (replies ?? []).map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}

/** The READY set's count and version, in one round trip. */
export async function readReadyExamples(redis: Redis | Cluster, keys: ReadySetKeys): Promise<ReadyExamples> {
  const replies = await redis.multi().get(keys.version).zcard(keys.readyIndex).exec();
  const [version, count] = resultsOf(replies) as [string | null, number | undefined];
  return { version: Number(version ?? 0), count: Number(count ?? 0) };
}

/**
 * The READY examples exactly as they were at `version`, or null when the set has moved on
 * from it and they can no longer all be read: the caller then reads the version again.
 *
 * Why what it returns is the set of that version: every script that changes the READY
 * index bumps the version in the same step, so the version and the ids read in one MULTI
 * belong together. Past that read, nothing of a READY example changes (type, name, text)
 * except that it may be deleted, which bumps the version too and shows here as its record
 * or its text missing. So ids read at `version`, each found whole, are that version's set,
 * whatever was added since; a version that is not the one asked for, or one example gone,
 * is null. Old versions are not kept: a set that changed is read again under its new key.
 */
export async function loadReadySet(
  redis: Redis | Cluster,
  keys: ReadySetKeys,
  version: number,
): Promise<LabelledExample[] | null> {
  const replies = await redis.multi().get(keys.version).zrange(keys.readyIndex, '0', '-1').exec();
  const [seen, members] = resultsOf(replies) as [string | null, string[]];
  if (Number(seen ?? 0) !== version) return null;
  const ids = members.map(idFromMember);
  const loaded: LabelledExample[] = [];
  for (let start = 0; start < ids.length; start += LOAD_BATCH) {
    const batch = ids.slice(start, start + LOAD_BATCH);
    const pipeline = redis.pipeline();
    for (const id of batch) {
      pipeline.hmget(keys.example(id), 'type', 'name', 'status');
      pipeline.get(keys.text(id));
    }
    const records = resultsOf((await pipeline.exec()) as Replies);
    for (const [i, id] of batch.entries()) {
      const [type, name, status] = records[2 * i] as (string | null)[];
      const text = records[2 * i + 1];
      if (status !== 'READY' || typeof text !== 'string') return null;
      loaded.push({
        id,
        type: JSON.parse(type ?? 'null') as string | null,
        name: name ?? '',
        pages: JSON.parse(text) as LabelledExample['pages'],
      });
    }
  }
  return loaded;
}
