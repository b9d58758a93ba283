import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { isFinalAttempt } from './queues.js';
import { PermanentStageError } from './stage-errors.js';
import type { StageWorkerOptions } from './stage-worker.js';

/**
 * The final-failure policy of the parse, classify and example stages, in one place: which failures
 * are retried, which end the job, and the message a user then reads. Processors call
 * `endFailedAttempt` for the failures they see; the stage worker records every final
 * failure BullMQ reports through `recordFinalFailures`, which also covers those no
 * processor saw (a job whose worker died under it too often). The store's compare-and-set makes the second record of
 * one failure a no-op, so both may record it.
 */
export type Stage = 'parse' | 'classify' | 'example';

/**
 * A failure's reason as the job's error_message. A parse's reason stands alone: a classify
 * job waiting on it shows it after "The document could not be parsed: ".
 */
const worded: Record<Stage, (reason: string) => string> = {
  parse: (reason) => reason,
  classify: (reason) => `Classification failed: ${reason}`,
  example: (reason) => `The example could not be prepared: ${reason}`,
};

/** What to do about a job that took its workers down, for the stage's user. */
const STALL_ADVICE: Record<Stage, string> = {
  parse: 'if the document is very large, send fewer pages (max_pages, target_pages) or split it',
  classify: 'send it again; if it happens again, report it with the job id',
  example: 'delete the example and add it again; if it happens again, report it with the example id',
};

/**
 * Whether retrying can help: a PermanentStageError, or any error that says
 * `permanent: true` (a document that can never be read, a refused API key, a URL that
 * answers 404), fails the job at once.
 */
export function isPermanentFailure(error: unknown): boolean {
  return (
    error instanceof PermanentStageError ||
    (typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true)
  );
}

/** How long a service asked the stage to wait (a hosted model's 429 or 529), or null. */
export function retryAfterMsOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? wait : null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The job's error_message once BullMQ has failed it for good. A job whose workers died or
 * froze under it more often than the stall limit is failed by BullMQ without running
 * again (its `deferredFailure`), and says so rather than quote BullMQ.
 */
export function finalFailureMessage(stage: Stage, job: Job, error: Error): string {
  if (job.deferredFailure) {
    const times = job.stalledCounter > 0 ? `${job.stalledCounter} times` : 'too often';
    return worded[stage](
      `the ${stage} worker stopped (it crashed, ran out of memory or was killed) while working on this job ${times}, so it is not handed to another worker again; ${STALL_ADVICE[stage]}`,
    );
  }
  if (error.name === 'UnrecoverableError' || isPermanentFailure(error)) return error.message;
  return worded[stage](`${error.message} (gave up after ${job.attemptsMade} attempts)`);
}

export interface FailedAttempt {
  stage: Stage;
  job: Job;
  error: unknown;
  log: Logger;
  /** Writes FAILED with this message (a compare-and-set: refused when the job already ended). */
  record: (message: string) => Promise<void>;
}

/**
 * Ends a processor's failed attempt: a permanent failure or the last attempt records
 * FAILED now, before BullMQ hears of it, so that a crash right after cannot leave the job
 * RUNNING; then it throws what BullMQ needs to retry the job or to fail it without retries.
 */
export async function endFailedAttempt({ stage, job, error, log, record }: FailedAttempt): Promise<never> {
  const reason = messageOf(error);
  if (isPermanentFailure(error)) {
    await record(reason);
    log.warn({ permanent: true, reason }, `${stage} failed`);
    throw new UnrecoverableError(reason);
  }
  if (isFinalAttempt(job)) {
    await record(worded[stage](`${reason} (gave up after ${job.attemptsMade + 1} attempts)`));
    log.warn({ permanent: false, reason }, `${stage} failed`);
  } else {
    log.warn({ err: error }, `${stage} attempt failed; will retry`);
  }
  throw error;
}

/** The stage worker's `onFinalFailure` for a stage: records each final failure, worded here. */
export function recordFinalFailures(
  stage: Stage,
  record: (job: Job, message: string) => Promise<void>,
): StageWorkerOptions['onFinalFailure'] {
  return (job, error) => record(job, finalFailureMessage(stage, job, error));
}
