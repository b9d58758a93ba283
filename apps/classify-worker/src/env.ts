import { appEnv, envFields, parseEnv } from '@classifyd/runtime';
import { z } from 'zod';

const schema = z
  .object({
    ...appEnv,
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
    ANTHROPIC_API_KEY: z.string().optional(),
    ANTHROPIC_MODEL: z.string().optional(),
    ANTHROPIC_BASE_URL: z.url().optional(),
    // Below this confidence the embedded classifier answers a null type; unset: its calibrated default.
    NULL_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
    // Port of /health (liveness) and /ready (Redis answers, the workers run); unset: none.
    METRICS_PORT: envFields.metricsPort,
    // Address the health endpoints listen on (the image sets 0.0.0.0 for probes from outside).
    HOST: z.string().min(1).default('127.0.0.1'),
    // What this process runs: `jobs` (classify and example queues, the part to scale, to zero
    // too), `duties` (webhook deliveries and the retention sweep, which must always run
    // somewhere) or `all` (both: one process does everything, as in development).
    WORKER_DUTIES: z.enum(['all', 'jobs', 'duties'], { error: 'must be all, jobs or duties' }).default('all'),
    LOG_LEVEL: envFields.logLevel,
    LOG_FORMAT: envFields.logFormat,
    NODE_ENV: envFields.nodeEnv,
  })
  .superRefine(envFields.oneRedisTopology)
  .refine((env) => env.CLASSIFIER !== 'anthropic' || env.ANTHROPIC_API_KEY !== undefined, {
    path: ['ANTHROPIC_API_KEY'],
    message: 'is required when CLASSIFIER=anthropic',
  });

export type ClassifyWorkerEnv = z.output<typeof schema>;

export function loadEnv(): ClassifyWorkerEnv {
  return parseEnv(schema, process.env);
}

/** The schema itself, so that deployment files can be checked against it (test/e2e/deploy-config). */
export { schema as envSchema };
