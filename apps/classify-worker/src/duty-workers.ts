import {
  createStageWorker,
  type FinalFailureRecorders,
  type JobLifecycle,
  type Queues,
  type StageWorkerOptions,
} from '@classifyd/pipeline';
import type { Tracing } from '@classifyd/runtime';
import type { JobStore } from '@classifyd/store';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { startMaintenance } from './maintenance.js';
import { createWebhookProcessor } from './webhook-delivery.js';

/**
 * The deployment's standing duties: webhook deliveries and the retention sweep. They do
 * not grow with the classify backlog, so they run where WORKER_DUTIES says (`all` or
 * `duties`): a process that is never scaled to zero, or every process in development.
 */
export async function startDutyWorkers(deps: {
  queues: Queues;
  jobs: JobStore;
  lifecycle: JobLifecycle;
  recorders: FinalFailureRecorders;
  logger: Logger;
  workerOptions: Omit<StageWorkerOptions, 'concurrency' | 'onFinalFailure'>;
  sweepEveryMs: number;
  allowPrivateUrls: boolean;
  tracing: Tracing;
}): Promise<Worker[]> {
  const { logger } = deps;
  const webhookWorker = createStageWorker(
    'webhook',
    createWebhookProcessor({
      logger,
      jobs: deps.jobs,
      allowPrivateUrls: deps.allowPrivateUrls,
      timeoutMs: 10_000,
      tracing: deps.tracing,
    }),
    {
      ...deps.workerOptions,
      concurrency: 4,
      onFinalFailure: async (job, error) => {
        logger.warn({ webhook: job.id, reason: error.message }, 'webhook delivery gave up');
      },
    },
  );
  const maintenanceWorker = await startMaintenance(
    deps.queues,
    deps.jobs,
    deps.lifecycle,
    deps.recorders,
    logger,
    deps.workerOptions,
    deps.sweepEveryMs,
  );
  return [webhookWorker, maintenanceWorker];
}
