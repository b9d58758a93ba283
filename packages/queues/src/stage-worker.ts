import { type ConnectionOptions, type Job, type Processor, Worker } from 'bullmq';
import type { QueueName } from './job-catalog.js';

export interface StageWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /**
   * Called once a job has failed for good, including failures the processor never saw
   * (a job that stalled too often after crashes), so the store can record FAILED.
   */
  onFinalFailure: (job: Job, error: Error) => Promise<void>;
  onError: (error: Error) => void;
}

export function createStageWorker(
  name: QueueName,
  processor: Processor,
  options: StageWorkerOptions,
): Worker {
  const worker = new Worker(name, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    // A job survives one crash of the worker holding it before it counts as failing.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', options.onError);
  worker.on('failed', (job, error) => {
    if (!job) return;
    const retrying =
      job.attemptsMade < (job.opts.attempts ?? 1) &&
      error.name !== 'UnrecoverableError' &&
      !/stalled more than allowable/.test(error.message);
    if (!retrying) options.onFinalFailure(job, error).catch(options.onError);
  });
  return worker;
}
