import { endFailedAttempt, payloadOf, settleExample, stageLog } from '@classifyd/pipeline';
import type { ExampleStore, JobStore } from '@classifyd/store';
import { DelayedError, type Job } from 'bullmq';
import type { Logger } from 'pino';

export interface ExampleProcessorDeps {
  logger: Logger;
  jobs: JobStore;
  examples: ExampleStore;
}

/**
 * How long an example waits before it looks at its parse again: soon at first, then less
 * often the longer the parse has run, so that thousands of examples waiting on long
 * parses do not keep Redis busy.
 */
export function recheckDelayMs(pendingForMs: number): number {
  return Math.min(10_000, Math.max(500, Math.round(pendingForMs / 4)));
}

/**
 * The example stage: once an example's parse has ended, its text is kept (READY) or the
 * reason it cannot be is (FAILED). Everything it writes is a compare-and-set from PENDING,
 * so a job that runs again after a crash repeats nothing.
 */
export function createExampleProcessor(deps: ExampleProcessorDeps) {
  return async function processExample(job: Job, token?: string): Promise<void> {
    const { exampleId, projectId } = payloadOf('example', job);
    const log = stageLog(deps.logger, 'example', job, exampleId, projectId);
    const example = await deps.examples.getAnyConfiguration(projectId, exampleId);
    if (example?.status !== 'PENDING') return;
    try {
      const status = await settleExample(deps, example);
      if (status === 'PENDING') {
        await job.moveToDelayed(Date.now() + recheckDelayMs(Date.now() - example.createdAtMs), token);
        throw new DelayedError();
      }
      log.info({ status }, 'example settled');
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      return endFailedAttempt({
        stage: 'example',
        job,
        error,
        log,
        record: async (message) => void (await deps.examples.markFailed(example, message)),
      });
    }
  };
}
