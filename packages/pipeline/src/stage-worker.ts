import { type ConnectionOptions, type Job, type Processor, Worker } from 'bullmq';
import type { QueueName } from './job-catalog.js';
import { isFinalFailure } from './stage-errors.js';
import type { StageMetrics } from './stage-metrics.js';

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
  /** Counts and times the worker's jobs. */
  metrics?: StageMetrics;
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
    // A job may lose its worker twice (a deploy, a crash, the OOM killer) and still run; the
    // third time BullMQ fails it when it is next picked up, rather than take down another worker.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', options.onError);
  options.metrics?.observe(worker, name);
  worker.on('failed', (job, error) => {
    if (job && isFinalFailure(job, error)) options.onFinalFailure(job, error).catch(options.onError);
  });
  return worker;
}
