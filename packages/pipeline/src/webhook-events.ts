import type { JobStatus, WebhookConfiguration } from '@classifyd/shared';
import type { StoredClassifyJob } from '@classifyd/store';
import type { Queues } from './queues.js';
import { addJobs } from './stage-jobs.js';

const EVENT_FOR_STATUS: Record<JobStatus, string> = {
  PENDING: 'classify.pending',
  RUNNING: 'classify.running',
  COMPLETED: 'classify.success',
  FAILED: 'classify.error',
  CANCELLED: 'classify.cancelled',
};

export function webhookEvent(status: JobStatus): string {
  return EVENT_FOR_STATUS[status];
}

function subscribes(endpoint: WebhookConfiguration, event: string): boolean {
  return endpoint.webhook_events == null || endpoint.webhook_events.includes(event);
}

/**
 * One delivery job per subscribed endpoint and transition. The delivery id is derived
 * from job, event and endpoint, so a repeated transition notice sends nothing twice.
 */
export async function enqueueWebhooks(
  queues: Queues,
  job: StoredClassifyJob,
  status: JobStatus,
): Promise<void> {
  const event = webhookEvent(status);
  const deliveries = job.spec.webhooks
    .map((endpoint, index) => ({ endpoint, index }))
    .filter(({ endpoint }) => subscribes(endpoint, event));
  if (deliveries.length === 0) return;
  const sentAt = new Date().toISOString();
  const trace = job.spec.trace;
  await addJobs(
    queues.webhook,
    deliveries.map(({ index }) => ({
      name: event,
      data: { jobId: job.id, event, endpoint: index, status, sentAt, ...(trace && { trace }) },
      opts: { jobId: `${job.id}.${event}.${index}` },
    })),
  );
}
