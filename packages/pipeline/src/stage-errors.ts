import type { Job } from 'bullmq';

/**
 * A failure that retrying cannot fix (a broken document, a missing input). Its message
 * is shown to the user as the job's error_message, so it must read as advice.
 */
export class PermanentStageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentStageError';
  }
}

/**
 * Whether BullMQ is done with a failed job: it was refused retries (an UnrecoverableError,
 * which is also how BullMQ fails a job that stalled too often) or spent its attempts.
 */
export function isFinalFailure(job: Job, error: Error): boolean {
  return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
