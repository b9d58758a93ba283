import { createParser } from '@classifyd/parser';
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
} from '@classifyd/pipeline';
import {
  blobStoreSettings,
  createLogger,
  createShutdown,
  defaultLogFormat,
  metricsAccess,
  onTerminationSignals,
  openRedis,
  quitRedis,
  readRedisSettings,
  resolveDataDir,
  startWorkerHealth,
  tracingFromEnv,
} from '@classifyd/runtime';
import { createBlobStore, ExampleStore, JobStore } from '@classifyd/store';
import { loadEnv } from './env.js';
import { createParseProcessor } from './parse-processor.js';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({
    name: 'parse-worker',
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
  // Test-only (CLASSIFYD_FAULT): a crash at one step of the handoff, on purpose.
  const lifecycle = new JobLifecycle(jobs, queues, faultHooks(env.CLASSIFYD_FAULT));
  const cancellations = new CancellationRegistry(redis, jobs, logger);
  // Not fatal: until it holds, each watch reads its job's status once instead.
  cancellations
    .start()
    .catch((error: Error) => logger.warn({ err: error.message }, 'cancellation subscription not set yet'));
  const parser = createParser({
    ocrConcurrency: env.OCR_CONCURRENCY,
    ocrPageTimeoutMs: env.OCR_PAGE_TIMEOUT_MS,
    maxImagePixels: env.MAX_IMAGE_PIXELS,
    documentTimeoutMs: env.PARSE_TIMEOUT_MS,
    maxDocumentHeapMb: env.PARSE_MEMORY_LIMIT_MB,
    maxInflatedStreamBytes: env.MAX_INFLATED_STREAM_BYTES,
    maxInflatedTotalBytes: env.MAX_INFLATED_TOTAL_BYTES,
  });
  const handBack = new AbortController();
  const metrics = new StageMetrics('parse-worker', redis);
  const tracing = tracingFromEnv(env, 'classifyd-parse-worker', VERSION);
  const processor = createParseProcessor({
    logger,
    jobs,
    blobs: await createBlobStore(blobStoreSettings(env, resolveDataDir(env.DATA_DIR, import.meta.url))),
    lifecycle,
    cancellations,
    metrics,
    tracing,
    parser,
    defaultMaxPages: env.DEFAULT_MAX_PAGES,
    fetchLimits: {
      maxBytes: 104_857_600,
      timeoutMs: 30_000,
      maxRedirects: 5,
      allowPrivate: env.ALLOW_PRIVATE_URLS,
    },
    handBack: handBack.signal,
  });
  const worker = createStageWorker('parse', processor, {
    metrics,
    connection: redis,
    prefix: queuePrefix,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.LOCK_DURATION_MS,
    stalledIntervalMs: env.STALLED_INTERVAL_MS,
    onError: (err) => logger.error({ err: err.message }, 'worker error'),
    onFinalFailure: onFinalFailureOf(
      'parse',
      finalFailureRecorders({ lifecycle, examples: new ExampleStore(redis, queuePrefix) }),
    ),
  });
  void worker.run();
  const health = await startWorkerHealth({
    host: env.HOST,
    port: env.METRICS_PORT,
    redis,
    workers: [worker],
    metrics: metrics.registry,
    access: metricsAccess(env),
  });
  logger.info({ concurrency: env.WORKER_CONCURRENCY, prefix: queuePrefix }, 'parse worker started');

  const shutdown = createShutdown(
    logger,
    [
      {
        name: 'worker',
        run: async () => {
          // Stop taking jobs; let running parses finish for a while, then hand them back.
          const closed = worker.close();
          const grace = new Promise<'grace'>((resolve) =>
            setTimeout(() => resolve('grace'), env.SHUTDOWN_GRACE_MS).unref(),
          );
          if ((await Promise.race([closed, grace])) === 'grace') {
            logger.info({ graceMs: env.SHUTDOWN_GRACE_MS }, 'handing running parses back to the queue');
            handBack.abort();
            await closed;
          }
        },
      },
      { name: 'parser', run: () => parser.close() },
      { name: 'cancellations', run: () => cancellations.close() },
      { name: 'queues', run: () => closeQueues(queues) },
      // Last but Redis: while the worker drains, /ready says so.
      { name: 'health', run: async () => health?.close() },
      { name: 'redis', run: () => quitRedis(redis) },
      // Last: the spans of parses that ended while draining are sent too.
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
    30_000,
  );
  onTerminationSignals(shutdown);
}

main().catch((error) => {
  process.stderr.write(`parse worker failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
