import { createHmac } from 'node:crypto';
import { assertPublicUrl, guardedRequest, OutboundError } from '@classifyd/outbound';
import { payloadOf } from '@classifyd/pipeline';
import { type JobStore, toClassifyJob } from '@classifyd/store';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

export interface WebhookDeliveryDeps {
  logger: Logger;
  jobs: JobStore;
  allowPrivateUrls: boolean;
  timeoutMs: number;
}

/**
 * Delivers one webhook: the job as it is now, with the event that fired. The body is
 * signed (HMAC-SHA256 of the raw body, `LC-Signature: sha256=<hex>`) when the endpoint
 * has a secret. A non-2xx answer throws, so BullMQ retries with backoff.
 */
export function createWebhookProcessor(deps: WebhookDeliveryDeps) {
  return async function deliver(job: Job): Promise<void> {
    const delivery = payloadOf('webhook', job);
    const stored = await deps.jobs.get(delivery.jobId);
    if (stored?.kind !== 'classify') return;
    const endpoint = stored.spec.webhooks[delivery.endpoint];
    if (!endpoint) return;
    const url = new URL(endpoint.webhook_url);
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
      endpoint.webhook_output_format === 'json'
        ? JSON.stringify(event)
        : JSON.stringify(JSON.stringify(event));
    const headers: Record<string, string> = {
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
    if (status < 200 || status >= 300) throw new Error(`webhook endpoint answered HTTP ${status}`);
    deps.logger.debug({ jobId: delivery.jobId, event: delivery.event, status }, 'webhook delivered');
  };
}
