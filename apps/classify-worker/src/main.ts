import {
  ClassifyLifecycle,
  closeQueues,
  createQueues,
  createStageWorker,
  payloadOf,
  recordFinalFailures,
  type StageWorkerOptions,
} from '@classifyd/pipeline';
import { createLogger, createShutdown, onTerminationSignals, openRedis, quitRedis } from '@classifyd/runtime';
import { ExampleStore, JobStore } from '@classifyd/store';
import { loadClassifier } from './choose-classifier.js';
import { createClassifyProcessor } from './classify-processor.js';
import { loadEnv } from './env.js';
import { createExampleProcessor } from './example-processor.js';
import { startMaintenance } from './maintenance.js';
import { createWebhookProcessor } from './webhook-delivery.js';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ name: 'classify-worker', level: env.LOG_LEVEL });
  const redis = await openRedis(env.REDIS_URL, 'worker', logger);
  const queues = createQueues({ connection: redis, prefix: env.QUEUE_PREFIX });
  const jobs = new JobStore(redis, {
    queuePrefix: env.QUEUE_PREFIX,
    retentionSeconds: env.JOB_RETENTION_SECONDS,
  });
  const examples = new ExampleStore(redis, env.QUEUE_PREFIX);
  const lifecycle = new ClassifyLifecycle(jobs, queues);
  const classifier = await loadClassifier(env, logger);
  logger.info({ classifier: classifier.name }, 'classifier loaded');

  const base: Omit<StageWorkerOptions, 'concurrency' | 'onFinalFailure'> = {
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    lockDurationMs: env.LOCK_DURATION_MS,
    stalledIntervalMs: env.STALLED_INTERVAL_MS,
    onError: (err) => logger.error({ err: err.message }, 'worker error'),
  };
  const classifyWorker = createStageWorker(
    'classify',
    createClassifyProcessor({
      logger,
      jobs,
      lifecycle,
      classifier,
      examples,
      // The whole queue waits, on every worker: they share one API key and its limit.
      rateLimit: (ms) => classifyWorker.rateLimit(ms),
    }),
    {
      ...base,
      concurrency: env.WORKER_CONCURRENCY,
      onFinalFailure: recordFinalFailures('classify', (job, message) => {
        const { classifyJobId, projectId } = payloadOf('classify', job);
        return lifecycle.failClassify(projectId, classifyJobId, message);
      }),
    },
  );
  const exampleWorker = createStageWorker('example', createExampleProcessor({ logger, jobs, examples }), {
    ...base,
    concurrency: env.WORKER_CONCURRENCY,
    onFinalFailure: recordFinalFailures('example', async (job, message) => {
      const { exampleId, projectId } = payloadOf('example', job);
      const example = await examples.getAnyConfiguration(projectId, exampleId);
      if (example) await examples.markFailed(example, message);
    }),
  });
  const webhookWorker = createStageWorker(
    'webhook',
    createWebhookProcessor({ logger, jobs, allowPrivateUrls: env.ALLOW_PRIVATE_URLS, timeoutMs: 10_000 }),
    {
      ...base,
      concurrency: 4,
      onFinalFailure: async (job, error) => {
        logger.warn({ webhook: job.id, reason: error.message }, 'webhook delivery gave up');
      },
    },
  );
  const maintenanceWorker = await startMaintenance(queues, jobs, logger, base, env.SWEEP_INTERVAL_MS);
  const workers = [classifyWorker, exampleWorker, webhookWorker, maintenanceWorker];
  for (const worker of workers) void worker.run();
  logger.info({ concurrency: env.WORKER_CONCURRENCY, prefix: env.QUEUE_PREFIX }, 'classify worker started');

  const shutdown = createShutdown(
    logger,
    [
      {
        name: 'workers',
        run: () => Promise.all(workers.map((worker) => worker.close())),
      },
      { name: 'queues', run: () => closeQueues(queues) },
      { name: 'redis', run: () => quitRedis(redis) },
    ],
    30_000,
  );
  onTerminationSignals(shutdown);
}

main().catch((error) => {
  process.stderr.write(`classify worker failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
