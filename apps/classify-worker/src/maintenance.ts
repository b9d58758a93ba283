import {
  createStageWorker,
  enqueueStoredJobs,
  type FinalFailureRecorders,
  type JobLifecycle,
  payloadOf,
  type Queues,
  type StageWorkerOptions,
  settleFinalFailures,
} from '@classifyd/pipeline';
import type { JobStore } from '@classifyd/store';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/**
 * How often the reconciler runs; how far back each look at final failures reaches beyond
 * the last; how long a stored job may wait for its first stage before it is enqueued again.
 */
const RECONCILE_EVERY_MS = 5_000;
const SETTLE_OVERLAP_MS = 10_000;
const STORED_GRACE_MS = 10_000;

/**
 * Scheduled jobs (one of each per deployment, however many workers run): the retention
 * sweep deletes jobs, results and parse text whose retention has passed; the reconciler
 * finishes what a process that died between two steps left undone: it records the final
 * failures it did not record, and enqueues the jobs it stored but did not enqueue.
 */
export async function startMaintenance(
  queues: Queues,
  jobs: JobStore,
  lifecycle: JobLifecycle,
  recorders: FinalFailureRecorders,
  logger: Logger,
  workerOptions: Omit<StageWorkerOptions, 'concurrency' | 'onFinalFailure'>,
  everyMs = 60_000,
): Promise<Worker> {
  await queues.maintenance.upsertJobScheduler(
    'sweep-expired',
    { every: everyMs },
    { name: 'sweep-expired', data: { task: 'sweep-expired' } },
  );
  await queues.maintenance.upsertJobScheduler(
    'reconcile',
    { every: RECONCILE_EVERY_MS },
    { name: 'reconcile', data: { task: 'reconcile' } },
  );
  // Failures older than this process were settled by the process before it, or are looked at once now.
  let settledSince = Date.now() - 10 * 60_000;
  return createStageWorker(
    'maintenance',
    async (job) => {
      if (payloadOf('maintenance', job).task === 'reconcile') {
        const started = Date.now();
        await settleFinalFailures(queues, recorders, settledSince);
        settledSince = started - SETTLE_OVERLAP_MS;
        await enqueueStoredJobs(jobs, lifecycle, queues, STORED_GRACE_MS);
        return;
      }
      let removed = 0;
      for (let batch = await jobs.sweepExpired(); batch > 0; batch = await jobs.sweepExpired())
        removed += batch;
      if (removed > 0) logger.info({ removed }, 'expired jobs removed');
    },
    { ...workerOptions, concurrency: 1, onFinalFailure: async () => {} },
  );
}
