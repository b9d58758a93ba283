import { envFields, parseEnv } from '@classifyd/runtime';
import { z } from 'zod';

const schema = z.object({
  REDIS_URL: envFields.redisUrl,
  QUEUE_PREFIX: envFields.queuePrefix,
  // Classify jobs one process runs at once; the embedded classifier is quick and CPU-bound.
  WORKER_CONCURRENCY: envFields.positiveInt(4),
  // How long finished jobs and their results stay readable.
  JOB_RETENTION_SECONDS: envFields.positiveInt(7 * 24 * 3600),
  // How long a job's lock lives without renewal: after a crash, the job is picked up again this soon.
  LOCK_DURATION_MS: envFields.positiveInt(30_000),
  STALLED_INTERVAL_MS: envFields.positiveInt(30_000),
  // Let webhooks reach loopback and private ranges (tests set it).
  ALLOW_PRIVATE_URLS: envFields.boolean(false),
  LOG_LEVEL: envFields.logLevel,
  NODE_ENV: envFields.nodeEnv,
});

export type ClassifyWorkerEnv = z.output<typeof schema>;

export function loadEnv(): ClassifyWorkerEnv {
  return parseEnv(schema, process.env);
}
