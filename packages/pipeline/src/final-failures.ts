import type { ExampleStore } from '@classifyd/store';
import type { Job } from 'bullmq';
import type { JobLifecycle } from './job-lifecycle.js';
import { payloadOf, type Queues } from './queues.js';
import { finalFailureMessage, recordFinalFailures, type Stage } from './stage-failure.js';
import type { StageWorkerOptions } from './stage-worker.js';

/** How each stage records a job BullMQ has failed for good: the one place that says it. */
export type FinalFailureRecorders = Record<Stage, (job: Job, message: string) => Promise<void>>;

export function finalFailureRecorders(deps: {
  lifecycle: JobLifecycle;
  examples: ExampleStore;
}): FinalFailureRecorders {
  return {
    parse: (job, message) => {
      const { parseJobId, projectId } = payloadOf('parse', job);
      return deps.lifecycle.failParse(projectId, parseJobId, message);
    },
    classify: (job, message) => {
      const { classifyJobId, projectId } = payloadOf('classify', job);
      return deps.lifecycle.failClassify(projectId, classifyJobId, message);
    },
    example: async (job, message) => {
      const { exampleId, projectId } = payloadOf('example', job);
      const example = await deps.examples.getAnyConfiguration(projectId, exampleId);
      if (example) await deps.examples.markFailed(example, message);
    },
  };
}

/** A stage worker's `onFinalFailure`: the stage's recorder, with the stage's wording. */
export function onFinalFailureOf(
  stage: Stage,
  recorders: FinalFailureRecorders,
): StageWorkerOptions['onFinalFailure'] {
  return recordFinalFailures(stage, recorders[stage]);
}

const STAGES: readonly Stage[] = ['parse', 'classify', 'example'];
const PAGE = 100;

/**
 * Records again the final failures BullMQ has kept since `sinceMs`. The worker that saw a
 * failure records it from BullMQ's 'failed' event, in its own process: killed in between,
 * the store would keep the job RUNNING for ever (and the jobs waiting on a parse with it).
 * Each record is a compare-and-set, so one already written changes nothing.
 */
export async function settleFinalFailures(
  queues: Queues,
  recorders: FinalFailureRecorders,
  sinceMs: number,
): Promise<number> {
  let seen = 0;
  for (const stage of STAGES) {
    // Newest first, a page at a time, until the failures are older than asked.
    for (let start = 0; ; start += PAGE) {
      const failed = await queues[stage].getFailed(start, start + PAGE - 1);
      const recent = failed.filter((job) => (job.finishedOn ?? 0) >= sinceMs);
      for (const job of recent) {
        seen++;
        await recorders[stage](job, finalFailureMessage(stage, job, errorOf(job)));
      }
      if (failed.length < PAGE || recent.length < failed.length) break;
    }
  }
  return seen;
}

/** The error BullMQ failed the job with, as far as its record tells: refused retries, or out of attempts. */
function errorOf(job: Job): Error {
  const error = new Error(job.failedReason);
  if (job.attemptsMade < (job.opts.attempts ?? 1)) error.name = 'UnrecoverableError';
  return error;
}
