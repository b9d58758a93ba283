import { freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

describe('the API killed between storing a job and enqueueing it', () => {
  let stack: ServiceStack;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'faults', env: { API_KEYS } });
  });
  afterAll(async () => {
    await stack?.stop();
    hooks?.close();
  });

  it('leaves no job PENDING for ever: the reconciler enqueues it, and its webhooks arrive once', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const port = await freePort();
    const doomed = await stack.startApp('api', { PORT: String(port), CLASSIFYD_FAULT: 'after-store-write' });
    // startApp waits for the stack's own API; this one answers on its own port.
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const create = fetch(`http://127.0.0.1:${port}/api/v2/classify`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a', 'content-type': 'application/json' },
      body: JSON.stringify({
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url: hooks.url, webhook_output_format: 'json' }],
      }),
    });
    // The client hears nothing back: the process died after the write.
    await expect(create).rejects.toThrow();
    await new Promise((resolve) =>
      doomed.child.exitCode === null && doomed.child.signalCode === null
        ? doomed.child.once('exit', resolve)
        : resolve(null),
    );
    expect(doomed.child.signalCode).toBe('SIGKILL');

    const [stored] = (await a.classify.list({})).items;
    expect(stored?.status).toBe('PENDING');
    const done = await a.classify.waitForCompletion(stored?.id as string, undefined, {
      ...POLL,
      timeout: 60,
    });
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');

    for (let i = 0; i < 100 && !hooks.events.some((e) => e.event_type === 'classify.success'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const mine = hooks.events.filter((e) => e.data.id === done.id);
    expect([...new Set(mine.map((e) => e.event_type))].sort()).toEqual([
      'classify.pending',
      'classify.running',
      'classify.success',
    ]);
    // At least once, and once in effect: a repeat carries the same event id.
    expect(new Set(mine.map((e) => e.event_id)).size).toBe(3);
  }, 120_000);
});
