import { envFields, parseEnv } from '@classifyd/runtime';
import { z } from 'zod';

/** An empty variable (`ANTHROPIC_API_KEY=`) means unset, as shells and compose files write it. */
const unsetIfEmpty = <T extends z.ZodType>(field: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), field);

const schema = z
  .object({
    REDIS_URL: envFields.redisUrl,
    QUEUE_PREFIX: envFields.queuePrefix,
    // Classify jobs one process runs at once; the embedded classifier is quick and CPU-bound.
    WORKER_CONCURRENCY: envFields.positiveInt(4),
    // How long finished jobs and their results stay readable.
    JOB_RETENTION_SECONDS: envFields.positiveInt(7 * 24 * 3600),
    // How often expired jobs, results and parse text are deleted (examples never are).
    SWEEP_INTERVAL_MS: envFields.positiveInt(60_000),
    // How long a job's lock lives without renewal: after a crash, the job is picked up again this soon.
    LOCK_DURATION_MS: envFields.positiveInt(30_000),
    STALLED_INTERVAL_MS: envFields.positiveInt(30_000),
    // Let webhooks reach loopback and private ranges (tests set it).
    ALLOW_PRIVATE_URLS: envFields.boolean(false),
    // Which classifier decides: auto is anthropic when ANTHROPIC_API_KEY is set, else embedded.
    CLASSIFIER: z
      .enum(['auto', 'embedded', 'anthropic'], { error: 'must be auto, embedded or anthropic' })
      .default('auto'),
    ANTHROPIC_API_KEY: unsetIfEmpty(z.string().optional()),
    ANTHROPIC_MODEL: unsetIfEmpty(z.string().optional()),
    ANTHROPIC_BASE_URL: unsetIfEmpty(z.url().optional()),
    // Below this confidence the embedded classifier answers a null type; unset: its calibrated default.
    NULL_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
    LOG_LEVEL: envFields.logLevel,
    NODE_ENV: envFields.nodeEnv,
  })
  .refine((env) => env.CLASSIFIER !== 'anthropic' || env.ANTHROPIC_API_KEY !== undefined, {
    path: ['ANTHROPIC_API_KEY'],
    message: 'is required when CLASSIFIER=anthropic',
  });

export type ClassifyWorkerEnv = z.output<typeof schema>;

export function loadEnv(): ClassifyWorkerEnv {
  return parseEnv(schema, process.env);
}
