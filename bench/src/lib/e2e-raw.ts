import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removePrefix, uniquePrefix } from '@classifyd/testkit';
import { FlowProducer, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type BenchChild, startChild } from './child.js';
import { runClosedLoop } from './closed-loop.js';
import type { E2eDriver, E2eSettings } from './e2e-classifyd.js';
import { RAW_CLASSIFY_QUEUE, RAW_JOB_OPTIONS, RAW_PARSE_QUEUE, type RawClassifyResult } from './raw-flow.js';
import { EXPECTED_TYPE, invoiceText, RULES } from './sample-document.js';

export const RAW = 'raw-bullmq';

export interface RawConcurrency {
  parse: number;
  classify: number;
}

/**
 * The baseline: a two-stage BullMQ flow (a classify job with a parse child) on the same Redis
 * under a unique prefix; a parse worker process and a classify worker process with the apps'
 * default concurrency; the driver waits on QueueEvents, K flows in flight.
 */
export async function startRawDriver(
  redisUrl: string,
  settings: E2eSettings,
  concurrency: RawConcurrency,
): Promise<E2eDriver> {
  const prefix = uniquePrefix('bench-raw');
  const dir = mkdtempSync(join(tmpdir(), 'classifyd-bench-raw-'));
  const path = join(dir, 'invoice.txt');
  writeFileSync(path, invoiceText());
  const env = { BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: prefix };
  const workers: BenchChild[] = [
    startChild('raw-parse-worker', { ...env, BENCH_CONCURRENCY: String(concurrency.parse) }),
    startChild('raw-classify-worker', { ...env, BENCH_CONCURRENCY: String(concurrency.classify) }),
  ];
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const flow = new FlowProducer({ connection, prefix });
  // Each add() in flight holds a 'closing' listener until it returns.
  flow.setMaxListeners(settings.inFlight + 10);
  const eventsConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const events = new QueueEvents(RAW_CLASSIFY_QUEUE, { connection: eventsConnection, prefix });
  const wrongType: Record<string, number> = { [RAW]: 0 };

  async function stop(): Promise<void> {
    await events.close();
    await flow.close();
    eventsConnection.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await removePrefix(connection, prefix);
    connection.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }

  async function runOne(): Promise<boolean> {
    const node = await flow.add({
      name: 'classify',
      queueName: RAW_CLASSIFY_QUEUE,
      data: { rules: RULES },
      opts: RAW_JOB_OPTIONS,
      children: [{ name: 'parse', queueName: RAW_PARSE_QUEUE, data: { path }, opts: RAW_JOB_OPTIONS }],
    });
    const result = (await node.job.waitUntilFinished(events, 60_000)) as RawClassifyResult;
    if (result.type !== EXPECTED_TYPE) wrongType[RAW] = (wrongType[RAW] ?? 0) + 1;
    return true;
  }

  try {
    await Promise.all([...workers.map((w) => w.message('ready', 60_000)), events.waitUntilReady()]);
    await runOne();
    return {
      wrongType,
      notes: {},
      measure: () => runClosedLoop({ ...settings, runOne }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
