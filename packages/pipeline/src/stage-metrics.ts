import type { Job, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueName } from './job-catalog.js';
import { isFinalFailure } from './stage-errors.js';

/** What a stage returns when a cancel stopped it: Bull Board shows it, the metrics count it as cancelled. */
export const STAGE_CANCELLED = { cancelled: true } as const;
export type StageCancelled = typeof STAGE_CANCELLED;

/** Why a stage job failed for good, in a few classes an alert can tell apart. */
function failureClass(error: Error): string {
  if (/stalled more than allowable limit/i.test(error.message)) return 'stalled';
  if (error.name === 'UnrecoverableError' || error.name === 'PermanentStageError') return 'permanent';
  if (/timed? ?out|timeout/i.test(error.message)) return 'timeout';
  return 'attempts_spent';
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * A worker process's metrics, one registry per process: what its stages did (jobs by
 * outcome, time waiting in the queue and time in the stage), what parsing read (pages, OCR)
 * and what classifying cost (latency, confidence, model tokens), and how long Redis takes
 * to answer. Served on METRICS_PORT with the probes.
 */
export class StageMetrics {
  readonly registry = new Registry();
  private readonly jobs: Counter;
  private readonly queued: Histogram;
  private readonly inStage: Histogram;
  private readonly pages: Counter;
  private readonly ocrSeconds: Counter;
  private readonly classifySeconds: Histogram;
  private readonly confidence: Histogram;
  private readonly tokens: Counter;
  private readonly failures: Counter;
  private readonly rateLimits: Counter;
  private readonly classifierErrors: Counter;

  constructor(app: string, redis?: Redis | Cluster) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: `classifyd_${app.replace(/-/g, '_')}_` });
    this.jobs = new Counter({
      name: 'classifyd_stage_jobs_total',
      help: 'Stage jobs by outcome: completed, cancelled (stopped by a cancel), retried (an attempt failed, another follows), failed (for good)',
      labelNames: ['stage', 'outcome'],
      registers,
    });
    this.failures = new Counter({
      name: 'classifyd_stage_failures_total',
      help: 'Stage jobs failed for good, by class: permanent (the document or request), stalled (its workers died), timeout, attempts_spent',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.rateLimits = new Counter({
      name: 'classifyd_classifier_rate_limited_total',
      help: 'Times a hosted model answered 429/529 and the classify queue was paused for its retry-after (the job retried, no attempt spent)',
      labelNames: ['classifier'],
      registers,
    });
    this.classifierErrors = new Counter({
      name: 'classifyd_classifier_errors_total',
      help: 'Classifier calls that failed (a hosted model erring, timing out or refusing the request; not a rate limit, not a cancel); transient ones are retried with backoff while attempts remain',
      labelNames: ['classifier'],
      registers,
    });
    this.queued = new Histogram({
      name: 'classifyd_stage_queue_seconds',
      help: 'Time a stage job waited on its queue before its first attempt began',
      labelNames: ['stage'],
      buckets: SECONDS,
      registers,
    });
    this.inStage = new Histogram({
      name: 'classifyd_stage_seconds',
      help: 'Time one attempt of a stage job took, by outcome',
      labelNames: ['stage', 'outcome'],
      buckets: SECONDS,
      registers,
    });
    this.pages = new Counter({
      name: 'classifyd_parse_pages_total',
      help: 'Pages parsed: read (all), ocr (read by OCR), failed (unreadable)',
      labelNames: ['kind'],
      registers,
    });
    this.ocrSeconds = new Counter({
      name: 'classifyd_ocr_seconds_total',
      help: 'Wall time spent rendering and recognising scanned pages',
      registers,
    });
    this.classifySeconds = new Histogram({
      name: 'classifyd_classify_seconds',
      help: 'Time the classifier took for one document',
      labelNames: ['classifier'],
      buckets: SECONDS,
      registers,
    });
    this.confidence = new Histogram({
      name: 'classifyd_classify_confidence',
      help: 'Confidence of the answers given',
      labelNames: ['classifier'],
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
      registers,
    });
    this.tokens = new Counter({
      name: 'classifyd_model_tokens_total',
      help: 'Tokens a hosted model (Claude) was billed for, by kind: input, output, cache_read, cache_creation',
      labelNames: ['kind'],
      registers,
    });
    if (redis) {
      new Gauge({
        name: 'classifyd_redis_roundtrip_seconds',
        help: 'Time a PING to Redis took, measured at scrape (-1: no answer within 2 s)',
        registers,
        async collect() {
          const started = performance.now();
          const answered = await Promise.race([
            redis.ping().then(
              () => true,
              () => false,
            ),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
          ]);
          this.set(answered ? (performance.now() - started) / 1000 : -1);
        },
      });
    }
  }

  /** Counts and times every job the worker finishes or fails. */
  observe(worker: Worker, stage: QueueName): void {
    worker.on('completed', (job, result) =>
      this.finished(
        stage,
        job,
        (result as StageCancelled | undefined)?.cancelled === true ? 'cancelled' : 'completed',
      ),
    );
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = isFinalFailure(job, error);
      if (final) this.failures.inc({ stage, reason: failureClass(error) });
      this.finished(stage, job, final ? 'failed' : 'retried');
    });
  }

  private finished(
    stage: QueueName,
    job: Job,
    outcome: 'completed' | 'cancelled' | 'failed' | 'retried',
  ): void {
    this.jobs.inc({ stage, outcome });
    if (job.processedOn !== undefined) {
      if (job.finishedOn !== undefined)
        this.inStage.observe({ stage, outcome }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
      if (job.attemptsStarted <= 1)
        this.queued.observe({ stage }, Math.max(0, job.processedOn - job.timestamp) / 1000);
    }
  }

  /** One parse: pages read, of them OCR'd and unreadable, and the OCR time. */
  parsed(read: { pages: number; ocrPages: number; failedPages: number; ocrMs: number }): void {
    this.pages.inc({ kind: 'read' }, read.pages);
    if (read.ocrPages > 0) this.pages.inc({ kind: 'ocr' }, read.ocrPages);
    if (read.failedPages > 0) this.pages.inc({ kind: 'failed' }, read.failedPages);
    if (read.ocrMs > 0) this.ocrSeconds.inc(read.ocrMs / 1000);
  }

  rateLimited(classifier: string): void {
    this.rateLimits.inc({ classifier });
  }

  classifierFailed(classifier: string): void {
    this.classifierErrors.inc({ classifier });
  }

  /** One classification: its latency and confidence, and a hosted model's token usage. */
  classified(
    classifier: string,
    ms: number,
    confidence: number,
    usage?: Record<string, number | string>,
  ): void {
    this.classifySeconds.observe({ classifier }, ms / 1000);
    this.confidence.observe({ classifier }, confidence);
    for (const [key, value] of Object.entries(usage ?? {})) {
      if (typeof value !== 'number' || !key.endsWith('_tokens')) continue;
      this.tokens.inc({ kind: key.replace(/(_input)?_tokens$/, '') }, value);
    }
  }
}
