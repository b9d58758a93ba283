import { type Processor, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { report } from './child.js';
import { rawWorkerSettings } from './raw-flow.js';

/** Runs one stage of the raw BullMQ baseline in this child process until SIGTERM, then reports ready. */
export async function runRawWorker<Data, Result>(
  queue: string,
  processor: Processor<Data, Result>,
): Promise<void> {
  const { redisUrl, prefix, concurrency } = rawWorkerSettings(process.env);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<Data, Result>(queue, processor, { connection, prefix, concurrency });
  worker.on('error', (error) => process.stderr.write(`raw ${queue} worker: ${error.message}\n`));
  await worker.waitUntilReady();
  process.once('SIGTERM', () => {
    void worker.close().then(() => {
      connection.disconnect();
      process.exit(0);
    });
  });
  report({ type: 'ready' });
}
