import { createServer } from 'node:http';
import { closeQueues, createQueues, faultHooks, JobLifecycle } from '@classifyd/pipeline';
import {
  blobStoreSettings,
  createLogger,
  createRedis,
  createShutdown,
  defaultLogFormat,
  metricsAccess,
  onTerminationSignals,
  openRedis,
  quitRedis,
  readRedisSettings,
  resolveDataDir,
  tracingFromEnv,
} from '@classifyd/runtime';
import {
  ConfigurationStore,
  createBlobStore,
  ExampleStore,
  FileStore,
  JobStore,
  WebhookConfigStore,
} from '@classifyd/store';
import { createApp } from './app.js';
import { parseApiKeys } from './auth.js';
import { answerClientErrors } from './client-errors.js';
import { loadEnv } from './env.js';
import { createMetrics } from './metrics.js';
import { createWorkLimiter } from './rate-limit.js';
import { ClassifyService } from './services/classify-service.js';
import { ConfigurationService } from './services/configuration-service.js';
import { CorrectionService } from './services/correction-service.js';
import { ExampleService } from './services/example-service.js';
import { FileService } from './services/file-service.js';
import { ParseService } from './services/parse-service.js';
import { WebhookConfigService } from './services/webhook-config-service.js';
import { loadSigningKey, UrlSigner } from './signed-url.js';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({
    name: 'api',
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT ?? defaultLogFormat(env.NODE_ENV, process.stdout.isTTY === true),
  });
  const production = env.NODE_ENV === 'production';
  let keyRing: ReturnType<typeof parseApiKeys>;
  try {
    keyRing = parseApiKeys(env.API_KEYS);
  } catch (error) {
    logger.fatal(`Invalid API_KEYS: ${(error as Error).message}`);
    logger.flush();
    process.exit(78);
  }
  if (keyRing === 'open') {
    if (production) {
      logger.fatal('API_KEYS is required when NODE_ENV=production; refusing to start an open API');
      logger.flush();
      process.exit(78);
    }
    logger.warn(
      'API_KEYS is not set: the API is open, every request acts on one default project (development mode)',
    );
  }
  const dashboard = env.DASHBOARD_AUTH ?? (production ? null : 'open');
  if (dashboard === 'open')
    logger.warn('DASHBOARD_AUTH is not set: Bull Board at /admin/queues is open (development mode)');

  // Sentinel or Cluster settings replace REDIS_URL; on a Cluster the prefix gains its hash tag.
  const { redis: redisSettings, queuePrefix } = readRedisSettings(env);
  const redis = await openRedis(redisSettings, 'request', logger);
  // The queues fail fast too (BullMQ's advice for producers): a request answers 503 rather than hang.
  const queueRedis = createRedis(redisSettings, 'request');
  queueRedis.on('error', (err) => logger.warn({ err: err.message }, 'queue connection error'));
  const queues = createQueues({ connection: queueRedis, prefix: queuePrefix });

  const jobs = new JobStore(redis, {
    queuePrefix,
    retentionSeconds: env.JOB_RETENTION_SECONDS,
  });
  const files = new FileStore(redis, queuePrefix);
  const configurations = new ConfigurationStore(redis, queuePrefix);
  const examples = new ExampleStore(redis, queuePrefix);
  // Test-only (CLASSIFYD_FAULT): a crash at one step of the handoff, on purpose.
  const lifecycle = new JobLifecycle(jobs, queues, faultHooks(env.CLASSIFYD_FAULT));
  const exampleService = new ExampleService({
    jobs,
    files,
    configurations,
    examples,
    queues,
    lifecycle,
    maxExamplesPerConfiguration: env.MAX_EXAMPLES_PER_CONFIGURATION,
  });
  const fileService = new FileService({
    files,
    blobs: await createBlobStore(blobStoreSettings(env, resolveDataDir(env.DATA_DIR, import.meta.url))),
    signer: new UrlSigner(await loadSigningKey(redis, queuePrefix)),
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
  });
  const webhookConfigs = new WebhookConfigService(
    new WebhookConfigStore(redis, queuePrefix),
    env.ALLOW_PRIVATE_URLS,
  );
  const tracing = tracingFromEnv(env, 'classifyd-api', VERSION);
  const app = createApp({
    logger,
    redis,
    queues,
    keyRing,
    dashboard,
    metrics: createMetrics(queues, redis),
    metricsAccess: metricsAccess(env),
    tracing,
    classify: new ClassifyService({
      jobs,
      files,
      configurations,
      lifecycle,
      allowPrivateUrls: env.ALLOW_PRIVATE_URLS,
      maxPagesPerParse: env.MAX_PAGES_PER_PARSE,
      savedWebhooks: webhookConfigs,
    }),
    files: fileService,
    parse: new ParseService({
      jobs,
      files,
      fileService,
      configurations,
      lifecycle,
      maxPagesPerParse: env.MAX_PAGES_PER_PARSE,
    }),
    configurations: new ConfigurationService(configurations, examples, env.MAX_PAGES_PER_PARSE),
    examples: exampleService,
    webhookConfigs,
    corrections: new CorrectionService({ jobs, files, examples, exampleService }),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    workLimiter: createWorkLimiter(redis, queuePrefix, env.RATE_LIMIT_PER_SECOND),
    version: VERSION,
  });

  const server = createServer(app);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, a server error (out of file descriptors, say) is logged, not left to
  // crash the process as an 'error' event nobody listens to.
  server.on('error', (err) => logger.error({ err: err.message }, 'http server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info({ host: env.HOST, port }, `classifyd API listening on http://${env.HOST}:${port}`);

  const shutdown = createShutdown(
    logger,
    [
      { name: 'http', run: () => new Promise<void>((resolve) => server.close(() => resolve())) },
      { name: 'queues', run: () => closeQueues(queues) },
      { name: 'redis', run: async () => Promise.all([quitRedis(redis), quitRedis(queueRedis)]) },
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
    10_000,
  );
  onTerminationSignals(shutdown);
}

main().catch((error) => {
  process.stderr.write(`classifyd API failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
