import { appEnv, blobStoreEnv, envFields, parseEnv } from '@classifyd/runtime';
import { z } from 'zod';

const schema = z
  .object({
    ...appEnv,
    ...blobStoreEnv,
    // Parse jobs one process runs at once; parsing is CPU-bound, so about one per core.
    WORKER_CONCURRENCY: envFields.positiveInt(2),
    // How long finished parse jobs and their text stay readable.
    JOB_RETENTION_SECONDS: envFields.positiveInt(7 * 24 * 3600),
    // Pages read when a request sets neither target_pages nor max_pages.
    DEFAULT_MAX_PAGES: envFields.positiveInt(100),
    // How long a job's lock lives without renewal: after a crash, the job is picked up again this soon.
    LOCK_DURATION_MS: envFields.positiveInt(30_000),
    STALLED_INTERVAL_MS: envFields.positiveInt(30_000),
    // OCR threads per process (each 100-200 MB), and how long one page may take before it fails alone.
    OCR_CONCURRENCY: envFields.positiveInt(1),
    OCR_PAGE_TIMEOUT_MS: envFields.positiveInt(60_000),
    // On SIGTERM, how long running parses may take to finish before they are handed back to
    // the queue for another worker (within the 30 s shutdown deadline).
    SHUTDOWN_GRACE_MS: envFields.positiveInt(20_000),
    // Largest image page, in pixels, read from its header before decoding; larger ones fail the job.
    MAX_IMAGE_PIXELS: envFields.positiveInt(50_000_000),
    // Each document is read in a thread of its own. How long one may take, OCR included, before
    // the thread is stopped and the job fails saying so: a hundred scanned pages at about 3 s
    // each, twice over.
    PARSE_TIMEOUT_MS: envFields.positiveInt(600_000),
    // The V8 heap one document's thread may use, in MiB; past it the job fails saying so. Two
    // parses at once stay well inside a 2 GiB container. Below 2048, V8 collects garbage more
    // eagerly, which costs PDF throughput (see README).
    PARSE_MEMORY_LIMIT_MB: envFields.positiveInt(512),
    // How far one compressed stream of a PDF, and all of them together, may unpack; checked
    // before the PDF is read, so that a decompression bomb fails its job, not the worker.
    MAX_INFLATED_STREAM_BYTES: envFields.positiveInt(134_217_728),
    MAX_INFLATED_TOTAL_BYTES: envFields.positiveInt(1_073_741_824),
    // Let URL inputs reach loopback and private ranges (tests set it).
    ALLOW_PRIVATE_URLS: envFields.boolean(false),
    // Port of /health (liveness) and /ready (Redis answers, the workers run); unset: none.
    METRICS_PORT: envFields.metricsPort,
    // Address the health endpoints listen on (the image sets 0.0.0.0 for probes from outside).
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: envFields.logLevel,
    LOG_FORMAT: envFields.logFormat,
    NODE_ENV: envFields.nodeEnv,
  })
  .superRefine(envFields.oneRedisTopology)
  .superRefine(envFields.s3BucketWhenS3);

export type ParseWorkerEnv = z.output<typeof schema>;

export function loadEnv(): ParseWorkerEnv {
  return parseEnv(schema, process.env);
}

/** The schema itself, so that deployment files can be checked against it (test/e2e/deploy-config). */
export { schema as envSchema };
