import {
  createStageWorker,
  type FinalFailureRecorders,
  payloadOf,
  type Queues,
  type StageWorkerOptions,
  settleFinalFailures,
} from '@classifyd/pipeline';
import type { JobStore } from '@classifyd/store';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/** How often final failures are looked at again, and how far back each look reaches beyond the last. */
const SETTLE_EVERY_MS = 5_000;
const SETTLE_OVERLAP_MS = 10_000;

/**
 * Scheduled jobs (one of each per deployment, however many workers run): the retention
 * sweep deletes jobs, results and parse text whose retention has passed; the settling of
 * final failures records again those whose worker died before it could.
 */
export async function startMaintenance(
  queues: Queues,
  jobs: JobStore,
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
    'settle-failures',
    { every: SETTLE_EVERY_MS },
    { name: 'settle-failures', data: { task: 'settle-failures' } },
  );
  // Failures older than this process were settled by the process before it, or are looked at once now.
  let settledSince = Date.now() - 10 * 60_000;
  return createStageWorker(
    'maintenance',
    async (job) => {
      if (payloadOf('maintenance', job).task === 'settle-failures') {
        const started = Date.now();
        await settleFinalFailures(queues, recorders, settledSince);
        settledSince = started - SETTLE_OVERLAP_MS;
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
