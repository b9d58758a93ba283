import { appEnv, blobStoreEnv, envFields, parseEnv } from '@classifyd/runtime';
import { DEFAULT_MAX_EXAMPLES_PER_CONFIGURATION } from '@classifyd/shared';
import { z } from 'zod';

const schema = z
  .object({
    // Listen address of the API.
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    ...appEnv,
    ...blobStoreEnv,
    // `key:project_id[:user_id]` entries, comma-separated. Unset: open development mode.
    API_KEYS: z.string().optional(),
    // `user:password` for Bull Board at /admin/queues. Unset: open in development, off in production.
    DASHBOARD_AUTH: z
      .string()
      .regex(/^[^:]+:.+$/, 'must be user:password')
      .optional(),
    // Requests that create work (jobs, uploads) per project and second; more get 429 + Retry-After. 0: no limit.
    RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(0).default(50),
    // Uploads larger than this get 413.
    MAX_UPLOAD_BYTES: envFields.positiveInt(104_857_600),
    // Pages one parse may be asked to read (max_pages, or the pages target_pages names);
    // more is a 422 at create, so no request can hand a worker hours of work.
    MAX_PAGES_PER_PARSE: envFields.positiveInt(1000),
    // Examples one saved configuration may hold; adding one more is a 409.
    MAX_EXAMPLES_PER_CONFIGURATION: envFields.positiveInt(DEFAULT_MAX_EXAMPLES_PER_CONFIGURATION),
    // Let URL inputs and webhooks reach loopback and private ranges (tests set it).
    ALLOW_PRIVATE_URLS: envFields.boolean(false),
    // How long finished jobs, results and parse outputs stay readable.
    JOB_RETENTION_SECONDS: envFields.positiveInt(7 * 24 * 3600),
    // Base of signed download URLs; unset: the address the request came in on.
    PUBLIC_BASE_URL: z.url().optional(),
    LOG_LEVEL: envFields.logLevel,
    LOG_FORMAT: envFields.logFormat,
    NODE_ENV: envFields.nodeEnv,
  })
  .superRefine(envFields.oneRedisTopology)
  .superRefine(envFields.s3BucketWhenS3);

export type ApiEnv = z.output<typeof schema>;

export function loadEnv(): ApiEnv {
  return parseEnv(schema, process.env);
}

/** The schema itself, so that deployment files can be checked against it (test/e2e/deploy-config). */
export { schema as envSchema };
