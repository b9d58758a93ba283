import { endFailedAttempt, payloadOf, settleExample, stageLog } from '@classifyd/pipeline';
import type { ExampleStore, JobStore } from '@classifyd/store';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';

export interface ExampleProcessorDeps {
  logger: Logger;
  jobs: JobStore;
  examples: ExampleStore;
}

/**
 * The example stage: once an example's parse has ended, its text is kept (READY) or the
 * reason it cannot be is (FAILED). Everything it writes is a compare-and-set from PENDING,
 * so a job that runs again after a crash repeats nothing.
 */
export function createExampleProcessor(deps: ExampleProcessorDeps) {
  return async function processExample(job: Job): Promise<void> {
    const { exampleId, projectId } = payloadOf('example', job);
    const log = stageLog(deps.logger, 'example', job, exampleId, projectId);
    const example = await deps.examples.getAnyConfiguration(projectId, exampleId);
    if (example?.status !== 'PENDING') return;
    try {
      let status = await settleExample(deps, example);
      if (status === 'PENDING') {
        // Its parse is still running: the example waits among the parse's waiters, and the
        // parse's end puts it back on this queue. This BullMQ job ends here.
        if ((await deps.jobs.joinParseWaiters(example.id, example.parseJobId)) === 'waiting') {
          log.info('parse still running; waiting for it to end');
          return;
        }
        status = await settleExample(deps, example);
      }
      log.info({ status }, 'example settled');
    } catch (error) {
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
