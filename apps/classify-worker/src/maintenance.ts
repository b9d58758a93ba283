import { createStageWorker, type Queues, type StageWorkerOptions } from '@classifyd/pipeline';
import type { JobStore } from '@classifyd/store';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/**
 * Retention: a scheduled job (one per deployment, however many workers run) deletes
 * jobs, results and parse text whose retention has passed.
 */
export async function startMaintenance(
  queues: Queues,
  jobs: JobStore,
  logger: Logger,
  workerOptions: Omit<StageWorkerOptions, 'concurrency' | 'onFinalFailure'>,
  everyMs = 60_000,
): Promise<Worker> {
  await queues.maintenance.upsertJobScheduler(
    'sweep-expired',
    { every: everyMs },
    { name: 'sweep-expired', data: { task: 'sweep-expired' } },
  );
  return createStageWorker(
    'maintenance',
    async () => {
      let removed = 0;
      for (let batch = await jobs.sweepExpired(); batch > 0; batch = await jobs.sweepExpired())
        removed += batch;
      if (removed > 0) logger.info({ removed }, 'expired jobs removed');
    },
    { ...workerOptions, concurrency: 1, onFinalFailure: async () => {} },
  );
}
