import { type FetchLimits, fetchDocument } from '@classifyd/outbound';
import type { Parser } from '@classifyd/parser';
import {
  type CancellationRegistry,
  endFailedAttempt,
  type JobLifecycle,
  PermanentStageError,
  payloadOf,
  STAGE_CANCELLED,
  type StageCancelled,
  type StageMetrics,
  stageLog,
  stageSpan,
  watchCancellation,
} from '@classifyd/pipeline';
import { NO_TRACING, type TraceSpan, type Tracing } from '@classifyd/runtime';
import type { BlobStore, JobStore, ParseSource, StoredParseJob } from '@classifyd/store';
import { DelayedError, type Job } from 'bullmq';
import type { Logger } from 'pino';

export interface ParseProcessorDeps {
  logger: Logger;
  jobs: JobStore;
  blobs: BlobStore;
  lifecycle: JobLifecycle;
  /** Tells a running parse of its cancel (pushed, not polled). */
  cancellations: CancellationRegistry;
  metrics?: StageMetrics;
  /** The stage's span, in the trace of the request that made the job. */
  tracing?: Tracing;
  parser: Parser;
  defaultMaxPages: number;
  fetchLimits: FetchLimits;
  /** Aborted when the worker stops and can wait no longer: parses still running are handed back. */
  handBack?: AbortSignal;
}

async function loadBytes(deps: ParseProcessorDeps, source: ParseSource): Promise<Uint8Array> {
  if (source.type === 'url') return fetchDocument(source.url, deps.fetchLimits);
  // Deleting a file removes its record, then its bytes: bytes gone means the file is.
  const bytes = await deps.blobs.read(source.file_id);
  if (!bytes) throw new PermanentStageError(`File ${source.file_id} was deleted before it could be read`);
  return bytes;
}

/** A long parse tells its BullMQ job (Bull Board's progress bar) how far it is, this often at most. */
const PROGRESS_EVERY_MS = 1000;

/**
 * Per cent of the chosen pages read, written to the stage's BullMQ job; a document read in
 * under a second writes nothing, so the common small one costs no Redis call for it.
 */
function progressOf(job: Job, log: Logger): (done: number, total: number) => void {
  let last = performance.now();
  return (done, total) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS || done >= total) return;
    last = now;
    job
      .updateProgress(Math.floor((100 * done) / total))
      .catch((error: Error) => log.debug({ err: error.message }, 'progress not recorded'));
  };
}

/** How often a parse looks at the cache entry while identical parses keep replacing each other. */
const MAX_CLAIMS = 5;

export interface ParseStageResult {
  format: string;
  pages: number;
  pageCount: number;
  failedPages: number;
  ocrPages: number;
}

type ParseStageOutcome = ParseStageResult | StageCancelled | undefined;

export function createParseProcessor(deps: ParseProcessorDeps) {
  const tracing = deps.tracing ?? NO_TRACING;
  // What Bull Board shows as the stage's return value: how much was read, without the text.
  return async function processParse(job: Job, token?: string): Promise<ParseStageOutcome> {
    const { parseJobId, projectId, trace } = payloadOf('parse', job);
    const log = stageLog(deps.logger, 'parse', job, parseJobId, projectId);
    const parseJob = await deps.jobs.getParseJob(projectId, parseJobId);
    if (!parseJob) {
      log.warn('parse job no longer exists; nothing to do');
      return;
    }
    if (parseJob.status !== 'PENDING' && parseJob.status !== 'RUNNING') {
      // Finished before (a crash after the status write, or a cancel): hand its waiters on again.
      await deps.lifecycle.handOnWaiters(projectId, parseJobId);
      return;
    }
    // Released after an identical parse ended, it carries no context: its record does.
    const parent = trace ?? parseJob.spec.trace;
    return tracing.run('parse', stageSpan('parse', job, parseJobId, projectId, parent), (span) =>
      parseStored(deps, job, token, parseJob, { log, span }),
    );
  };
}

async function parseStored(
  deps: ParseProcessorDeps,
  job: Job,
  token: string | undefined,
  parseJob: StoredParseJob,
  { log, span }: { log: Logger; span: TraceSpan },
): Promise<ParseStageOutcome> {
  const { id: parseJobId, projectId } = parseJob;
  const liveAt = deps.cancellations.now();
  const started = await deps.lifecycle.startParse(parseJob);
  if (!started.ok && started.reason !== 'same') return;

  let claim = await deps.jobs.claimParseCache(parseJob);
  for (let tries = 1; claim.action === 'wait'; tries++) {
    // The same bytes are being parsed with the same options by another job: this one
    // waits among its waiters, and that parse's end sends it back here to copy its pages.
    if ((await deps.jobs.joinParseWaiters(parseJobId, claim.from)) === 'waiting') {
      log.info({ waitingFor: claim.from }, 'identical parse running; waiting for it to end');
      span.set({ 'classifyd.outcome': 'waiting_for_identical_parse' });
      return;
    }
    // It ended meanwhile (or another took the cache since): look again.
    if (tries === MAX_CLAIMS) throw new Error(`the parse cache of ${parseJobId} keeps changing; retrying`);
    claim = await deps.jobs.claimParseCache(parseJob);
  }
  if (claim.action === 'gone') return;
  if (claim.action === 'copied') {
    await deps.lifecycle.completeParse(parseJob);
    log.info({ copiedFrom: claim.from }, 'parse output copied from an identical finished parse');
    span.set({ 'classifyd.outcome': 'copied', 'classifyd.copied_from': claim.from });
    return;
  }

  const watch = watchCancellation(deps.cancellations, parseJobId, liveAt);
  try {
    const bytes = await loadBytes(deps, parseJob.spec.source);
    const parsed = await deps.parser.parse(bytes, {
      targetPages: parseJob.spec.target_pages,
      maxPages: parseJob.spec.max_pages,
      defaultMaxPages: deps.defaultMaxPages,
      lang: parseJob.spec.lang,
      signal: deps.handBack ? AbortSignal.any([watch.signal, deps.handBack]) : watch.signal,
      onPage: progressOf(job, log),
    });
    const done = await deps.lifecycle.completeParse(parseJob, {
      format: parsed.format,
      page_count: parsed.pageCount,
      pages: parsed.pages,
    });
    if (!done.ok && done.reason !== 'same') {
      log.info('parse job left RUNNING while parsing; output dropped');
      await deps.lifecycle.handOnWaiters(projectId, parseJobId);
      return;
    }
    const read: ParseStageResult = {
      format: parsed.format,
      pages: parsed.pages.length,
      pageCount: parsed.pageCount,
      failedPages: parsed.pages.filter((p) => !p.success).length,
      ocrPages: parsed.ocr?.pages.length ?? 0,
    };
    deps.metrics?.parsed({ ...read, ocrMs: parsed.ocr?.ms ?? 0 });
    span.set({
      'classifyd.outcome': 'completed',
      'classifyd.format': read.format,
      'classifyd.pages': read.pages,
      'classifyd.ocr_pages': read.ocrPages,
      'classifyd.failed_pages': read.failedPages,
    });
    log.info(read, 'parsed');
    return read;
  } catch (error) {
    if (deps.handBack?.aborted && !watch.signal.aborted) {
      // Back on the queue as it was, at once and without spending an attempt, so that
      // another worker takes it now rather than after the lock runs out.
      log.info('worker stopping; parse handed back to the queue');
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (watch.signal.aborted) {
      log.info('parse cancelled; stopped');
      span.set({ 'classifyd.outcome': 'cancelled' });
      await deps.lifecycle.handOnWaiters(projectId, parseJobId);
      return STAGE_CANCELLED;
    }
    return endFailedAttempt({
      stage: 'parse',
      job,
      error,
      log,
      record: (message) => deps.lifecycle.failParse(projectId, parseJobId, message),
    });
  } finally {
    watch.stop();
  }
}
