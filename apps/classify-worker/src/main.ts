import {
  CancellationRegistry,
  closeQueues,
  createQueues,
  createStageWorker,
  faultHooks,
  finalFailureRecorders,
  JobLifecycle,
  onFinalFailureOf,
  StageMetrics,
  type StageWorkerOptions,
} from '@classifyd/pipeline';
import {
  createLogger,
  createShutdown,
  defaultLogFormat,
  metricsAccess,
  onTerminationSignals,
  openRedis,
  quitRedis,
  readRedisSettings,
  startWorkerHealth,
  tracingFromEnv,
} from '@classifyd/runtime';
import { ExampleStore, JobStore } from '@classifyd/store';
import { loadClassifier } from './choose-classifier.js';
import { createClassifyProcessor } from './classify-processor.js';
import { startDutyWorkers } from './duty-workers.js';
import { loadEnv } from './env.js';
import { createExampleProcessor } from './example-processor.js';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({
    name: 'classify-worker',
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT ?? defaultLogFormat(env.NODE_ENV, process.stdout.isTTY === true),
  });
  // Sentinel or Cluster settings replace REDIS_URL; on a Cluster the prefix gains its hash tag.
  const { redis: redisSettings, queuePrefix } = readRedisSettings(env);
  const redis = await openRedis(redisSettings, 'worker', logger);
  const queues = createQueues({ connection: redis, prefix: queuePrefix });
  const jobs = new JobStore(redis, {
    queuePrefix,
    retentionSeconds: env.JOB_RETENTION_SECONDS,
  });
  const examples = new ExampleStore(redis, queuePrefix);
  // Test-only (CLASSIFYD_FAULT): a crash at one step of the handoff, on purpose.
  const lifecycle = new JobLifecycle(jobs, queues, faultHooks(env.CLASSIFYD_FAULT));
  const cancellations = new CancellationRegistry(redis, jobs, logger);
  // Not fatal: until it holds, each watch reads its job's status once instead.
  cancellations
    .start()
    .catch((error: Error) => logger.warn({ err: error.message }, 'cancellation subscription not set yet'));
  const recorders = finalFailureRecorders({ lifecycle, examples });
  const metrics = new StageMetrics('classify-worker', redis);
  const tracing = tracingFromEnv(env, 'classifyd-classify-worker', VERSION);
  const base: Omit<StageWorkerOptions, 'concurrency' | 'onFinalFailure'> = {
    connection: redis,
    prefix: queuePrefix,
    lockDurationMs: env.LOCK_DURATION_MS,
    stalledIntervalMs: env.STALLED_INTERVAL_MS,
    onError: (err) => logger.error({ err: err.message }, 'worker error'),
    metrics,
  };
  const startJobWorkers = async () => {
    const classifier = await loadClassifier(env, logger);
    logger.info({ classifier: classifier.name }, 'classifier loaded');
    const classifyWorker = createStageWorker(
      'classify',
      createClassifyProcessor({
        logger,
        jobs,
        lifecycle,
        cancellations,
        classifier,
        examples,
        metrics,
        tracing,
        // The whole queue waits, on every worker: they share one API key and its limit.
        rateLimit: (ms) => classifyWorker.rateLimit(ms),
      }),
      {
        ...base,
        concurrency: env.WORKER_CONCURRENCY,
        onFinalFailure: onFinalFailureOf('classify', recorders),
      },
    );
    const exampleWorker = createStageWorker('example', createExampleProcessor({ logger, jobs, examples }), {
      ...base,
      concurrency: env.WORKER_CONCURRENCY,
      onFinalFailure: onFinalFailureOf('example', recorders),
    });
    return [classifyWorker, exampleWorker];
  };
  // Scaled deployments split the two: `jobs` processes may scale to zero, one `duties` process stays.
  const workers = [
    ...(env.WORKER_DUTIES === 'duties' ? [] : await startJobWorkers()),
    ...(env.WORKER_DUTIES === 'jobs'
      ? []
      : await startDutyWorkers({
          queues,
          jobs,
          lifecycle,
          recorders,
          logger,
          workerOptions: base,
          sweepEveryMs: env.SWEEP_INTERVAL_MS,
          allowPrivateUrls: env.ALLOW_PRIVATE_URLS,
          tracing,
        })),
  ];
  for (const worker of workers) void worker.run();
  const health = await startWorkerHealth({
    host: env.HOST,
    port: env.METRICS_PORT,
    redis,
    workers,
    metrics: metrics.registry,
    access: metricsAccess(env),
  });
  logger.info(
    { concurrency: env.WORKER_CONCURRENCY, prefix: queuePrefix, duties: env.WORKER_DUTIES },
    'classify worker started',
  );

  const shutdown = createShutdown(
    logger,
    [
      {
        name: 'workers',
        run: () => Promise.all(workers.map((worker) => worker.close())),
      },
      { name: 'cancellations', run: () => cancellations.close() },
      { name: 'queues', run: () => closeQueues(queues) },
      // Last but Redis: while the workers drain, /ready says so.
      { name: 'health', run: async () => health?.close() },
      { name: 'redis', run: () => quitRedis(redis) },
      // Last: the spans of jobs that ended while draining are sent too.
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
    30_000,
  );
  onTerminationSignals(shutdown);
}

main().catch((error) => {
  process.stderr.write(`classify worker failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
