import { createHmac } from 'node:crypto';
import { assertPublicUrl, guardedRequest, OutboundError } from '@classifyd/outbound';
import { type JobPayload, payloadOf } from '@classifyd/pipeline';
import { NO_TRACING, type TraceSpan, type Tracing } from '@classifyd/runtime';
import { type JobStore, type StoredClassifyJob, toClassifyJob } from '@classifyd/store';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

export interface WebhookDeliveryDeps {
  logger: Logger;
  jobs: JobStore;
  allowPrivateUrls: boolean;
  timeoutMs: number;
  /** A span per delivery, in the trace of the request that made the job. */
  tracing?: Tracing;
}

/**
 * Delivers one webhook: the job as it is now, with the event that fired. The body is
 * signed (HMAC-SHA256 of the raw body, `LC-Signature: sha256=<hex>`) when the endpoint
 * has a secret. A non-2xx answer throws, so BullMQ retries with backoff.
 */
export function createWebhookProcessor(deps: WebhookDeliveryDeps) {
  const tracing = deps.tracing ?? NO_TRACING;
  return async function deliver(job: Job): Promise<void> {
    const delivery = payloadOf('webhook', job);
    const stored = await deps.jobs.get(delivery.jobId);
    if (stored?.kind !== 'classify') return;
    const span = {
      kind: 'client' as const,
      parent: delivery.trace ?? stored.spec.trace,
      attributes: {
        'classifyd.job_id': stored.id,
        'classifyd.project_id': stored.projectId,
        'classifyd.webhook.event': delivery.event,
        'classifyd.webhook.endpoint': delivery.endpoint,
        'classifyd.attempt': job.attemptsMade + 1,
      },
    };
    await tracing.run(`webhook ${delivery.event}`, span, (active) =>
      send(deps, job, delivery, stored, active),
    );
  };
}

async function send(
  deps: WebhookDeliveryDeps,
  job: Job,
  delivery: JobPayload<'webhook'>,
  stored: StoredClassifyJob,
  span: TraceSpan,
): Promise<void> {
  const endpoint = stored.spec.webhooks[delivery.endpoint];
  if (!endpoint) return;
  const url = new URL(endpoint.webhook_url);
  // The host only: a webhook URL's path or query may carry a token.
  span.set({ 'server.address': url.hostname });
  try {
    await assertPublicUrl(url, deps.allowPrivateUrls);
  } catch (error) {
    if (error instanceof OutboundError && error.permanent) throw new UnrecoverableError(error.message);
    throw error;
  }
  const event = {
    event_id: job.id,
    event_type: delivery.event,
    created_at: delivery.sentAt,
    data: { ...toClassifyJob(stored), status: delivery.status },
  };
  // LlamaCloud's default output format sends the payload as a JSON-encoded string.
  const body =
    endpoint.webhook_output_format === 'json' ? JSON.stringify(event) : JSON.stringify(JSON.stringify(event));
  const headers: Record<string, string> = {
    // The receiver may continue the trace; headers the endpoint was given win.
    ...span.context,
    ...(endpoint.webhook_headers ?? {}),
    'content-type': 'application/json',
    'user-agent': 'classifyd-webhooks',
  };
  if (endpoint.webhook_signing_secret) {
    headers['LC-Signature'] =
      `sha256=${createHmac('sha256', endpoint.webhook_signing_secret).update(body).digest('hex')}`;
  }
  // Redirects are not followed: a webhook endpoint answers where it was registered.
  const response = await guardedRequest(url, {
    method: 'POST',
    headers,
    body,
    allowPrivate: deps.allowPrivateUrls,
    signal: AbortSignal.timeout(deps.timeoutMs),
  }).catch((error: unknown) => {
    if (error instanceof OutboundError && error.permanent) throw new UnrecoverableError(error.message);
    throw error;
  });
  response.resume();
  const status = response.statusCode ?? 0;
  span.set({ 'http.response.status_code': status });
  if (status < 200 || status >= 300) throw new Error(`webhook endpoint answered HTTP ${status}`);
  deps.logger.debug({ jobId: delivery.jobId, event: delivery.event, status }, 'webhook delivered');
}
