import { z } from 'zod';

/**
 * The W3C trace context (the `traceparent` and `tracestate` headers) of the request that made
 * a job, carried in its stage jobs' data and its record so that every stage joins one trace.
 */
export const traceContextSchema = z.object({
  traceparent: z.string().max(128),
  tracestate: z.string().max(512).optional(),
});

export type TraceContext = z.infer<typeof traceContextSchema>;
