import {
  type CancellationRegistry,
  endFailedAttempt,
  type JobLifecycle,
  PermanentStageError,
  payloadOf,
  retryAfterMsOf,
  STAGE_CANCELLED,
  type StageCancelled,
  type StageMetrics,
  stageLog,
  stageSpan,
  watchCancellation,
} from '@classifyd/pipeline';
import { NO_TRACING, type TraceSpan, type Tracing } from '@classifyd/runtime';
import { type Classifier, DEFAULT_LANG, selectParsedPages } from '@classifyd/shared';
import type { JobStore, StoredClassifyJob } from '@classifyd/store';
import { type Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { type ExampleReader, withExampleSet } from './example-set.js';

export interface ClassifyProcessorDeps {
  logger: Logger;
  jobs: JobStore;
  lifecycle: JobLifecycle;
  /** Tells a running job of its cancel (pushed, not polled). */
  cancellations: CancellationRegistry;
  metrics?: StageMetrics;
  /** The stage's span, in the trace of the request that made the job. */
  tracing?: Tracing;
  classifier: Classifier;
  examples: ExampleReader;
  /** Pauses the classify queue, on every worker, for this long (a hosted model's 429 or 529). */
  rateLimit: (ms: number) => Promise<void>;
}

/** The parse text this job reads, or why there is none. */
async function loadPages(deps: ClassifyProcessorDeps, job: StoredClassifyJob) {
  const parseJob = job.parseJobId ? await deps.jobs.getParseJob(job.projectId, job.parseJobId) : null;
  if (!parseJob) throw new PermanentStageError(`Parse job ${job.parseJobId} no longer exists`);
  if (parseJob.status === 'FAILED') {
    throw new PermanentStageError(
      `The document could not be parsed: ${parseJob.errorMessage ?? 'unknown error'}`,
    );
  }
  if (parseJob.status === 'CANCELLED') {
    throw new PermanentStageError(`Parse job ${parseJob.id} was cancelled before the document was read`);
  }
  if (parseJob.status !== 'COMPLETED') return null;
  const output = await deps.jobs.getParseOutput(parseJob.id);
  if (!output)
    throw new PermanentStageError(
      `The text of parse job ${parseJob.id} has expired; submit the document again`,
    );
  const read = output.pages.filter((page) => page.success);
  if (job.spec.document_input_type !== 'parse_job_id') return read;
  // A parse job given by id was read with its own page selection; the request's, if any,
  // picks among the pages it read, as it would among a file's.
  const pc = job.spec.configuration.parsing_configuration;
  const selection = { targetPages: pc?.target_pages, maxPages: pc?.max_pages };
  const chosen = selectParsedPages(read, selection);
  if (chosen.length === 0 && read.length > 0) {
    const numbers = read.map((p) => p.page_number);
    const shown = `${numbers.slice(0, 10).join(', ')}${numbers.length > 10 ? ', ...' : ''}`;
    throw new PermanentStageError(
      `target_pages "${pc?.target_pages}" selects none of the pages parse job ${parseJob.id} read (${shown})`,
    );
  }
  return chosen;
}

/** What Bull Board shows as the stage's return value: the answer, without document text. */
type ClassifyStageResult = { type: string | null; confidence: number; classifier: string };

export function createClassifyProcessor(deps: ClassifyProcessorDeps) {
  const tracing = deps.tracing ?? NO_TRACING;
  return async function processClassify(job: Job): Promise<ClassifyStageResult | StageCancelled | undefined> {
    const { classifyJobId, projectId, trace } = payloadOf('classify', job);
    const log = stageLog(deps.logger, 'classify', job, classifyJobId, projectId);
    // The job read (or written) below shows it live after this: its cancellation watch need not read it again.
    const liveAt = deps.cancellations.now();
    const stored = await deps.jobs.getClassifyJob(projectId, classifyJobId);
    if (!stored) return;
    // A job put back on the queue by its parse's end carries no context: its record does.
    const parent = trace ?? stored.spec.trace;
    return tracing.run('classify', stageSpan('classify', job, classifyJobId, projectId, parent), (span) =>
      classifyStored(deps, job, stored, { log, liveAt, span }),
    );
  };
}

async function classifyStored(
  deps: ClassifyProcessorDeps,
  job: Job,
  stored: StoredClassifyJob,
  { log, liveAt, span }: { log: Logger; liveAt: number; span: TraceSpan },
): Promise<ClassifyStageResult | StageCancelled | undefined> {
  const classifyJobId = stored.id;
  // Run again after a worker died: what it wrote may lack its webhooks.
  if (stored.status !== 'PENDING') await deps.lifecycle.catchUpWebhooks(stored);
  if (stored.status !== 'PENDING' && stored.status !== 'RUNNING') return;
  if (stored.status === 'PENDING') {
    const started = await deps.lifecycle.transition(stored, 'RUNNING');
    if (!started.ok && started.reason !== 'same') return;
  }
  // Whether a failure below is the classifier's (counted apart from the stage's own).
  let classifying = false;
  const watch = watchCancellation(deps.cancellations, classifyJobId, liveAt);
  try {
    let pages = await loadPages(deps, stored);
    if (pages === null) {
      // Its parse is still running: it waits among the parse's waiters, and the parse's
      // end puts it back on this queue. This BullMQ job ends here, with nothing to retry.
      if ((await deps.jobs.joinParseWaiters(classifyJobId, stored.parseJobId as string)) === 'waiting') {
        log.info('parse still running; waiting for it to end');
        span.set({ 'classifyd.outcome': 'waiting_for_parse' });
        return;
      }
      pages = await loadPages(deps, stored);
      if (pages === null) throw new Error(`Parse job ${stored.parseJobId} ended but reads as running`);
    }
    const started = performance.now();
    // The default language is no statement about the document: the classifier then tells
    // the language from the text (and reads a German invoice's "Rechnung" as "invoice").
    const lang = stored.spec.configuration.parsing_configuration?.lang;
    classifying = true;
    const classified = await withExampleSet(deps.examples, stored, (examples) =>
      deps.classifier.classify(
        {
          pages: pages.map((p) => ({ page_number: p.page_number, text: p.text })),
          rules: stored.spec.configuration.rules,
          ...(lang && lang !== DEFAULT_LANG ? { lang } : {}),
          ...(examples ? { examples } : {}),
        },
        watch.signal,
      ),
    );
    classifying = false;
    const { usage, ...result } = classified.result;
    const ms = performance.now() - started;
    deps.metrics?.classified(deps.classifier.name, ms, result.confidence, usage);
    const done = await deps.lifecycle.transition(stored, 'COMPLETED', usage ? { result, usage } : { result });
    span.set({
      'classifyd.outcome': 'completed',
      'classifyd.classifier': deps.classifier.name,
      'classifyd.confidence': result.confidence,
      'classifyd.pages': pages.length,
    });
    log.info(
      {
        classifier: deps.classifier.name,
        examples: classified.set?.count ?? 0,
        type: result.type,
        confidence: result.confidence,
        ms: Math.round(ms * 10) / 10,
        inputTokens: usage?.input_tokens,
        outputTokens: usage?.output_tokens,
        written: done.ok,
      },
      'classified',
    );
    return { type: result.type, confidence: result.confidence, classifier: deps.classifier.name };
  } catch (error) {
    if (watch.signal.aborted) {
      log.info('classify cancelled; stopped');
      span.set({ 'classifyd.outcome': 'cancelled' });
      return STAGE_CANCELLED;
    }
    const retryAfterMs = retryAfterMsOf(error);
    if (retryAfterMs !== null) {
      // Waiting out the model's limit is not a failed attempt: the job goes back to the queue.
      log.warn({ retryAfterMs, reason: (error as Error).message }, 'classifier rate limited; queue paused');
      deps.metrics?.rateLimited(deps.classifier.name);
      span.set({ 'classifyd.outcome': 'rate_limited' });
      await deps.rateLimit(retryAfterMs);
      throw Worker.RateLimitError();
    }
    if (classifying) deps.metrics?.classifierFailed(deps.classifier.name);
    return endFailedAttempt({
      stage: 'classify',
      job,
      error,
      log,
      record: async (message) =>
        void (await deps.lifecycle.transition(stored, 'FAILED', { error_message: message })),
    });
  } finally {
    watch.stop();
  }
}
