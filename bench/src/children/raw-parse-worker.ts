// Stage 1 of the raw BullMQ baseline: read the document from disk and split it into pages
// with the same parser classifyd's parse worker uses; the pages are the job's return value.
import { readFile } from 'node:fs/promises';
import { parseDocument } from '@classifyd/parser';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { report, runChild } from '../lib/child.js';
import { RAW_PARSE_QUEUE, type RawPage, type RawParseData, rawWorkerSettings } from '../lib/raw-flow.js';

async function main(): Promise<void> {
  const { redisUrl, prefix, concurrency } = rawWorkerSettings(process.env);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<RawParseData, RawPage[]>(
    RAW_PARSE_QUEUE,
    async (job: Job<RawParseData>) => {
      const parsed = await parseDocument(await readFile(job.data.path));
      return parsed.pages.filter((p) => p.success).map((p) => ({ page_number: p.page_number, text: p.text }));
    },
    { connection, prefix, concurrency },
  );
  worker.on('error', (error) => process.stderr.write(`raw parse worker: ${error.message}\n`));
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
