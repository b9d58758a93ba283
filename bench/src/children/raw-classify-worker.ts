// Stage 2 of the raw BullMQ baseline: the same embedded classifier classifyd's classify
// worker runs, on the pages its parse child returned (a BullMQ flow: parse is the child job).
import { createEmbeddedClassifier } from '@classifyd/classifier';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { report, runChild } from '../lib/child.js';
import {
  RAW_CLASSIFY_QUEUE,
  type RawClassifyData,
  type RawClassifyResult,
  type RawPage,
  rawWorkerSettings,
} from '../lib/raw-flow.js';

async function main(): Promise<void> {
  const { redisUrl, prefix, concurrency } = rawWorkerSettings(process.env);
  const classifier = await createEmbeddedClassifier();
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<RawClassifyData, RawClassifyResult>(
    RAW_CLASSIFY_QUEUE,
    async (job: Job<RawClassifyData>) => {
      const children = Object.values(await job.getChildrenValues<RawPage[]>());
      const pages = children[0];
      if (!pages) throw new Error(`classify job ${job.id} has no parse result`);
      return classifier.classify({ pages, rules: job.data.rules, lang: 'en' });
    },
    { connection, prefix, concurrency },
  );
  worker.on('error', (error) => process.stderr.write(`raw classify worker: ${error.message}\n`));
  await worker.waitUntilReady();
  process.once('SIGTERM', () => {
    void worker.close().then(() => {
      connection.disconnect();
      process.exit(0);
    });
  });
  report({ type: 'ready' });
}

runChild(main);
