import { describe, expect, it } from 'vitest';
import { JOB_CATALOG } from './job-catalog.js';

describe('stage job payloads', () => {
  const ids = { classifyJobId: 'clj-00000000-0000-4000-8000-000000000000', projectId: 'p' };

  it('carry the W3C trace context of the request behind the job', () => {
    const trace = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'a=b',
    };
    expect(JOB_CATALOG.classify.payload.parse({ ...ids, trace })).toEqual({ ...ids, trace });
  });

  it('drop a trace context that does not parse, keeping the job', () => {
    const parsed = JOB_CATALOG.classify.payload.parse({ ...ids, trace: { traceparent: 'x'.repeat(500) } });
    expect(parsed).toEqual(ids);
    expect(
      JOB_CATALOG.webhook.payload.safeParse({
        jobId: 'j',
        event: 'e',
        endpoint: 0,
        status: 'RUNNING',
        sentAt: 's',
        trace: 7,
      }).success,
    ).toBe(true);
    expect(JOB_CATALOG.classify.payload.safeParse({ projectId: 'p' }).success).toBe(false);
  });
});
