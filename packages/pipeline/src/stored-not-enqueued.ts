import type { JobStore } from '@classifyd/store';
import type { JobLifecycle } from './job-lifecycle.js';
import type { Queues } from './queues.js';
import { enqueueParse } from './stage-jobs.js';

/**
 * Jobs stay in the store's outbox from the create that stored them until their first stage
 * moves them on from PENDING. One still there after `olderThanMs` may have been stored by
 * an API that died before enqueueing it: its stage is enqueued now (idempotent: BullMQ ids
 * are the job ids) with the webhooks it may have missed, and it leaves the outbox. A job that
 * is merely queued behind others costs one such look. Returns how many were looked at.
 */
export async function enqueueStoredJobs(
  store: JobStore,
  lifecycle: JobLifecycle,
  queues: Queues,
  olderThanMs: number,
): Promise<number> {
  const ids = await store.outboxOlderThan(olderThanMs);
  const jobs = await store.getMany(ids);
  for (const id of ids) {
    const job = jobs.get(id);
    if (job?.status === 'PENDING') {
      if (job.kind === 'classify') {
        await lifecycle.ensureEnqueued(job);
        await lifecycle.catchUpWebhooks(job);
      } else {
        await enqueueParse(queues, job.id, job.projectId, job.spec.trace);
      }
    }
    await store.leaveOutbox(id);
  }
  return ids.length;
}
