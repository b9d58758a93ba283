import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * WORKER_DUTIES, as the Kubernetes manifests use it: classify workers that may scale to
 * zero (`jobs`) and one process that always runs (`duties`) for webhook deliveries and
 * the retention sweep. Work left by one waits in Redis until the other kind runs.
 */
describe('classify workers split into jobs and duties', () => {
  let stack: ServiceStack;
  let redis: Redis;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    redis = new Redis(inject('redisUrl'));
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'duties',
      env: { API_KEYS },
      workers: ['parse-worker'],
    });
  });
  afterAll(async () => {
    await stack?.stop();
    redis?.disconnect();
    hooks?.close();
  });

  it('a jobs-only worker classifies but leaves webhooks and the sweep; a duties worker takes them up', async () => {
    await stack.startApp('classify-worker', { WORKER_DUTIES: 'jobs' });
    const client = sdk(stack.baseUrl, 'key-a');
    const file = await client.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'invoice.txt'),
      purpose: 'classify',
    });
    const done = await client.classify.run(
      {
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url: hooks.url, webhook_output_format: 'json' }],
      },
      POLL,
    );
    expect(done.result?.type).toBe('invoice');
    // pending, running, success: queued for delivery, and nobody delivers them.
    await expect.poll(() => redis.llen(`${stack.prefix}:webhook:wait`)).toBe(3);
    expect(hooks.events).toEqual([]);
    // No retention sweep is scheduled either.
    expect(await redis.exists(`${stack.prefix}:maintenance:repeat`)).toBe(0);

    const duties = await stack.startApp('classify-worker', { WORKER_DUTIES: 'duties' });
    await expect.poll(() => hooks.events.length, { timeout: 20_000 }).toBe(3);
    expect(hooks.events.map((e) => e.event_type).sort()).toEqual([
      'classify.pending',
      'classify.running',
      'classify.success',
    ]);
    expect(await redis.exists(`${stack.prefix}:maintenance:repeat`)).toBe(1);
    // The duties process loads no classifier: it has no classify work to do.
    expect(duties.output()).not.toContain('classifier loaded');
  });

  it('refuses an unknown WORKER_DUTIES, naming it', async () => {
    const app = await stack
      .startApp('classify-worker', { WORKER_DUTIES: 'everything' })
      .catch((error: Error) => error);
    expect(app).toBeInstanceOf(Error);
    expect((app as Error).message).toMatch(/exited \(78\)[\s\S]*WORKER_DUTIES: must be all, jobs or duties/);
    expect((app as Error).message).not.toContain('everything');
  });
});
