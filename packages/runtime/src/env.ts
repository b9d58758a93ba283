import { z } from 'zod';
import { parseHostList } from './redis-settings.js';
import { tracingEnv } from './tracing.js';

/** `host:port,...`, read by parseHostList so that every app reads the lists alike. */
const hostList = z
  .string()
  .transform((list, ctx) => {
    const parsed = parseHostList(list);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  })
  .optional();

/**
 * Parses an app's environment with its schema. A variable set to the empty string counts
 * as unset (`FOO=` in a shell, `FOO: ${FOO:-}` in compose), so its default applies and an
 * optional setting stays off. A bad value stops the process with a message naming each
 * variable; values are never echoed, since some are secrets.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  process.stderr.write(`Invalid environment:\n${lines.join('\n')}\n`);
  process.exit(78);
}

/** Shared pieces of the env schemas, so that every app reads a setting the same way. */
export const envFields = {
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  // Sentinel mode and Cluster mode replace redisUrl; readRedisSettings turns these into one value.
  redisSentinels: hostList,
  redisSentinelName: z.string().min(1).default('mymaster'),
  redisClusterNodes: hostList,
  redisPassword: z.string().min(1).optional(),
  /** For `.superRefine` on an app's schema: a deployment reaches Redis one way only. */
  oneRedisTopology: (
    env: { REDIS_SENTINELS?: unknown; REDIS_CLUSTER_NODES?: unknown },
    ctx: z.RefinementCtx,
  ): void => {
    if (env.REDIS_SENTINELS !== undefined && env.REDIS_CLUSTER_NODES !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER_NODES'],
        message: 'cannot be set together with REDIS_SENTINELS; choose Sentinel or Cluster',
      });
    }
  },
  queuePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . - { }')
    .default('classifyd'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // `pretty`: one readable line per entry; `json`: for collectors. Unset: see defaultLogFormat.
  logFormat: z.enum(['json', 'pretty']).optional(),
  nodeEnv: z.string().optional(),
  // Port of a worker's /health and /ready (the port its /metrics will share); unset: no
  // server. Off by default: several workers share one machine in development and tests,
  // where a fixed port would collide.
  metricsPort: z.coerce.number().int().min(1).max(65535).optional(),
  dataDir: z.string().min(1).default('./.data'),
  // Where uploaded files live: `fs` under DATA_DIR, or `s3`.
  blobStore: z
    .enum(['fs', 's3'], { error: 'must be fs or s3' })
    .default('fs')
    .transform((v): 'local' | 's3' => (v === 's3' ? 's3' : 'local')),
  s3Bucket: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/, 'must be a bucket name (letters, digits, . _ -)')
    .optional(),
  s3Region: z.string().min(1).default('us-east-1'),
  s3Endpoint: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** For `.superRefine` on the schema of an app that reads blobs: S3 needs its bucket named. */
  s3BucketWhenS3: (env: { BLOB_STORE?: unknown; S3_BUCKET?: unknown }, ctx: z.RefinementCtx): void => {
    if (env.BLOB_STORE === 's3' && env.S3_BUCKET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when BLOB_STORE=s3' });
    }
  },
  positiveInt: (fallback: number) => z.coerce.number().int().min(1).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

/** The blob-store settings of an app's env, in the shape `createBlobStore` (@classifyd/store) takes. */
export function blobStoreSettings(
  env: {
    BLOB_STORE: 'local' | 's3';
    S3_BUCKET?: string | undefined;
    S3_REGION: string;
    S3_ENDPOINT?: string | undefined;
    S3_FORCE_PATH_STYLE: boolean;
  },
  dataDir: string,
):
  | { kind: 'local'; root: string }
  | { kind: 's3'; bucket: string; region: string; endpoint: string | undefined; forcePathStyle: boolean } {
  if (env.BLOB_STORE === 'local') return { kind: 'local', root: dataDir };
  // The schema's s3BucketWhenS3 has already stopped an app with BLOB_STORE=s3 and no bucket.
  if (!env.S3_BUCKET) throw new Error('S3_BUCKET is required when BLOB_STORE=s3');
  return {
    kind: 's3',
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  };
}

/** How an app reaches Redis, read the same way by every app (readRedisSettings turns it into one value). */
export const redisEnv = {
  // The one Redis every app shares, and the prefix that isolates this deployment in it.
  REDIS_URL: envFields.redisUrl,
  // Sentinel or Cluster mode instead of REDIS_URL (`host:port,...`, not both); the password is the data nodes'.
  REDIS_SENTINELS: envFields.redisSentinels,
  REDIS_SENTINEL_NAME: envFields.redisSentinelName,
  REDIS_CLUSTER_NODES: envFields.redisClusterNodes,
  REDIS_PASSWORD: envFields.redisPassword,
  QUEUE_PREFIX: envFields.queuePrefix,
};

/**
 * Test-only: the process kills itself (SIGKILL) at one step of the job handoff, so that the
 * tests can show nothing is stranded there: `after-store-write` (a new job stored, not yet
 * enqueued), `after-enqueue` (enqueued, its first webhooks not yet) or
 * `after-write:<classify|parse>:<STATUS>` (a status written, not yet followed up).
 */
/** Who may read /metrics (see metricsAccess). */
export const metricsEnv = {
  METRICS_AUTH: z.string().min(16, 'must be at least 16 characters').optional(),
  // Production serves /metrics only with METRICS_AUTH, unless this says an open endpoint is meant.
  METRICS_OPEN: envFields.boolean(false),
};

export const faultEnv = {
  CLASSIFYD_FAULT: z
    .string()
    .regex(
      /^(after-store-write|after-enqueue|after-write:(classify|parse):(PENDING|RUNNING|COMPLETED|FAILED|CANCELLED))$/,
      'must be after-store-write, after-enqueue or after-write:<classify|parse>:<STATUS>',
    )
    .optional(),
};

/** Where uploaded files live, for the apps that read or write them (API and parse workers). */
export const blobStoreEnv = {
  // With BLOB_STORE=fs, the directory every API and parse worker must share (one machine or a shared volume).
  DATA_DIR: envFields.dataDir,
  // `fs`: files under DATA_DIR; `s3`: objects in S3_BUCKET, created at startup if missing.
  // Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the AWS SDK's provider chain
  // (profile, instance or pod role).
  BLOB_STORE: envFields.blobStore,
  S3_BUCKET: envFields.s3Bucket,
  S3_REGION: envFields.s3Region,
  // An S3-compatible service (MinIO, R2, ...); unset: AWS. Most need path-style addressing.
  S3_ENDPOINT: envFields.s3Endpoint,
  S3_FORCE_PATH_STYLE: envFields.boolean(false),
};

/** What every app reads alike: Redis, metrics access, traces, and the test-only fault point. */
export const appEnv = { ...redisEnv, ...faultEnv, ...metricsEnv, ...tracingEnv };
