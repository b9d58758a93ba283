import { traceContextSchema } from '@classifyd/shared';
import { z } from 'zod';

// A context that does not parse is dropped, never the job: the job only leaves its trace.
const trace = traceContextSchema.optional().catch(undefined);

/**
 * Every queue, its payload and its retry policy, in one place. Payloads carry ids
 * only: document text and rules stay in the store, out of BullMQ's clear-text job data.
 * Workers parse `job.data` with the payload schema before doing anything. `trace` is the
 * W3C trace context of the request behind the job, when tracing is on.
 */
export const JOB_CATALOG = {
  parse: {
    payload: z.object({
      parseJobId: z.string().startsWith('pjb-'),
      projectId: z.string().min(1),
      trace,
    }),
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
  },
  classify: {
    payload: z.object({
      classifyJobId: z.string().startsWith('clj-'),
      projectId: z.string().min(1),
      trace,
    }),
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
  },
  example: {
    payload: z.object({ exampleId: z.string().startsWith('exm-'), projectId: z.string().min(1) }),
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
  },
  webhook: {
    payload: z.object({
      jobId: z.string().min(1),
      event: z.string().min(1),
      endpoint: z.number().int().min(0),
      status: z.string(),
      sentAt: z.string(),
      trace,
    }),
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
  },
  maintenance: {
    payload: z.object({ task: z.enum(['sweep-expired', 'reconcile']) }),
    attempts: 1,
    backoff: { type: 'fixed', delay: 0 },
  },
} as const;

export type QueueName = keyof typeof JOB_CATALOG;
export const QUEUE_NAMES = Object.keys(JOB_CATALOG) as QueueName[];
export type JobPayload<Q extends QueueName> = z.infer<(typeof JOB_CATALOG)[Q]['payload']>;
