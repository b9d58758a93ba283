import type { Queues } from './queues.js';

/**
 * Stage jobs use the store's job id as BullMQ job id, so adding one twice (a retried
 * request, a re-delivered completion) is a no-op rather than a second run.
 */
export async function enqueueParse(queues: Queues, parseJobId: string, projectId: string): Promise<void> {
  await queues.parse.add('parse', { parseJobId, projectId }, { jobId: parseJobId });
}

export async function enqueueClassify(
  queues: Queues,
  jobs: { classifyJobId: string; projectId: string }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await queues.classify.addBulk(
    jobs.map((data) => ({ name: 'classify', data, opts: { jobId: data.classifyJobId } })),
  );
}

/** Puts an example on the queue that settles it once its parse has ended. */
export async function enqueueExample(queues: Queues, exampleId: string, projectId: string): Promise<void> {
  await queues.example.add('example', { exampleId, projectId }, { jobId: exampleId });
}
