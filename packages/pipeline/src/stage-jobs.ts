import type { TraceContext } from '@classifyd/shared';
import type { Queue } from 'bullmq';
import type { Queues } from './queues.js';

/**
 * Adds the jobs in one round trip. A single job goes by `add`: BullMQ's `addBulk` builds an
 * ioredis pipeline, which copies every script command of the connection each time, a cost
 * the API paid on every create.
 */
export async function addJobs<D>(queue: Queue<D>, jobs: Parameters<Queue<D>['addBulk']>[0]): Promise<void> {
  const [only] = jobs;
  if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
  else if (jobs.length > 1) await queue.addBulk(jobs);
}

/**
 * Stage jobs use the store's job id as BullMQ job id, so adding one twice (a retried
 * request, a re-delivered completion) is a no-op rather than a second run.
 */
export async function enqueueParse(
  queues: Queues,
  parseJobId: string,
  projectId: string,
  trace?: TraceContext,
): Promise<void> {
  await queues.parse.add('parse', { parseJobId, projectId, ...(trace && { trace }) }, { jobId: parseJobId });
}

export async function enqueueClassify(
  queues: Queues,
  jobs: { classifyJobId: string; projectId: string; trace?: TraceContext }[],
): Promise<void> {
  await addJobs(
    queues.classify,
    jobs.map(({ classifyJobId, projectId, trace }) => ({
      name: 'classify',
      data: { classifyJobId, projectId, ...(trace && { trace }) },
      opts: { jobId: classifyJobId },
    })),
  );
}

/** Puts an example on the queue that settles it once its parse has ended. */
export async function enqueueExample(queues: Queues, exampleId: string, projectId: string): Promise<void> {
  await queues.example.add('example', { exampleId, projectId }, { jobId: exampleId });
}
