import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { RAW_CLASSIFY_QUEUE, RAW_JOB_OPTIONS, RAW_PARSE_QUEUE } from './raw-flow.js';
import { redisDelta, redisSnapshot } from './redis-stats.js';

/**
 * The floor of what a two-stage job costs Redis in BullMQ: a parse job whose no-op stage
 * adds a classify job, as classifyd's parse stage hands on to classify, and a no-op classify
 * stage; one worker per queue in this process, whose 'completed' events are counted locally
 * so that waiting costs no Redis calls. Returns the calls per job, commands run inside
 * BullMQ's scripts included.
 */
export async function rawNoopCallsPerJob(redisUrl: string, jobs: number): Promise<number> {
  const prefix = uniquePrefix('bench-raw-noop');
  const admin = new Redis(redisUrl);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const parse = new Queue(RAW_PARSE_QUEUE, { connection, prefix });
  const classify = new Queue(RAW_CLASSIFY_QUEUE, { connection, prefix });
  const workers: Worker[] = [];
  try {
    await Promise.all([parse.waitUntilReady(), classify.waitUntilReady()]);
    let completed = 0;
    let allDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    const before = await redisSnapshot(admin);
    workers.push(
      new Worker(RAW_PARSE_QUEUE, async (job) => classify.add('classify', job.data, RAW_JOB_OPTIONS), {
        connection,
        prefix,
        concurrency: 4,
      }),
    );
    const classifyWorker = new Worker(RAW_CLASSIFY_QUEUE, async () => ({ ok: true }), {
      connection,
      prefix,
      concurrency: 4,
    });
    classifyWorker.on('completed', () => {
      completed++;
      if (completed === jobs) allDone();
    });
    workers.push(classifyWorker);
    for (let i = 0; i < jobs; i++) await parse.add('parse', { n: i }, RAW_JOB_OPTIONS);
    await done;
    // Closing the workers stops their idle polling before the second count.
    await Promise.all(workers.map((w) => w.close()));
    const after = await redisSnapshot(admin);
    return redisDelta(before, after).calls / jobs;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all([parse.close(), classify.close()]);
    await removePrefix(admin, prefix);
    connection.disconnect();
    admin.disconnect();
  }
}
