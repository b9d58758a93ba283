import {
  type AppName,
  type AppProcess,
  freePort,
  type ServiceStack,
  startServiceStack,
} from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

describe('the API killed at each step of a create', () => {
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

  it.each([
    { fault: 'after-store-write', what: 'stored, not enqueued: the reconciler enqueues it' },
    {
      fault: 'after-enqueue',
      what: 'enqueued, its first webhook not sent: the first status change sends it',
    },
  ])(
    'killed $fault ($what); its webhooks arrive once in effect',
    async ({ fault }) => {
      const a = sdk(stack.baseUrl, 'key-a');
      const file = await a.files.create({
        file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
        purpose: 'classify',
      });
      const port = await freePort();
      const doomed = await stack.startApp('api', { PORT: String(port), CLASSIFYD_FAULT: fault });
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

      // Newest first: the job the dead request made.
      const [stored] = (await a.classify.list({})).items;
      if (fault === 'after-store-write') expect(stored?.status).toBe('PENDING');
      const done = await a.classify.waitForCompletion(stored?.id as string, undefined, {
        ...POLL,
        timeout: 60,
      });
      expect(done.status).toBe('COMPLETED');
      expect(done.result?.type).toBe('invoice');

      await expectWebhooksOnceInEffect(hooks, done.id);
    },
    120_000,
  );
});

/**
 * The job's pending, running and success webhooks all arrive; a repeat carries the same
 * event id (at least once, once in effect). A delivery a dying worker held is sent again
 * once its lock runs out, maybe after the others, so all three are waited for.
 */
async function expectWebhooksOnceInEffect(hooks: WebhookReceiver, jobId: string): Promise<void> {
  const mine = () => hooks.events.filter((e) => e.data.id === jobId);
  for (let i = 0; i < 150 && new Set(mine().map((e) => e.event_type)).size < 3; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect([...new Set(mine().map((e) => e.event_type))].sort()).toEqual([
    'classify.pending',
    'classify.running',
    'classify.success',
  ]);
  expect(new Set(mine().map((e) => e.event_id)).size).toBe(3);
}

/** Resolves when the process has exited (at once if it already has). */
function exited(app: AppProcess): Promise<unknown> {
  return app.child.exitCode === null && app.child.signalCode === null
    ? new Promise((resolve) => app.child.once('exit', resolve))
    : Promise.resolve();
}

// Each worker killed at each of its handoff steps: after a status write, before what must
// follow it (its webhooks, the jobs waiting on a parse started or sent on). A job in hand
// when its worker dies is taken up again once its lock runs out (2 s here, 30 s by default).
describe('a worker killed at each step of the handoff', () => {
  let stack: ServiceStack;
  let hooks: WebhookReceiver;
  const fast = { LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' };

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'worker-faults',
      env: { API_KEYS, ...fast },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    hooks?.close();
  });

  const cases: { app: AppName; fault: string; cachedParse?: boolean }[] = [
    { app: 'parse-worker', fault: 'after-write:parse:RUNNING' },
    { app: 'parse-worker', fault: 'after-write:classify:RUNNING' },
    { app: 'parse-worker', fault: 'after-write:parse:COMPLETED' },
    // With the parse cached, the classify stage itself moves the job to RUNNING.
    { app: 'classify-worker', fault: 'after-write:classify:RUNNING', cachedParse: true },
    { app: 'classify-worker', fault: 'after-write:classify:COMPLETED' },
  ];

  it.each(cases)(
    '$app killed at $fault: the job completes and its webhooks arrive once in effect',
    async ({ app, fault, cachedParse }) => {
      const a = sdk(stack.baseUrl, 'key-a');
      const text = `${INVOICE_TEXT}\nReference ${fault}`;
      const file = await a.files.create({
        file: await toFile(Buffer.from(text), 'inv.txt'),
        purpose: 'classify',
      });
      if (cachedParse) {
        const first = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
        expect(first.status).toBe('COMPLETED');
      }
      const healthy = stack.apps.find(
        (p) => p.name === app && p.child.exitCode === null && p.child.signalCode === null,
      );
      if (healthy) await stack.stopApp(healthy);
      const doomed = await stack.startApp(app, { CLASSIFYD_FAULT: fault });

      const job = await a.classify.create({
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url: hooks.url, webhook_output_format: 'json' }],
      });
      await exited(doomed);
      expect(doomed.child.signalCode).toBe('SIGKILL');

      await stack.startApp(app);
      const done = await a.classify.waitForCompletion(job.id, undefined, { ...POLL, timeout: 60 });
      expect(done.status).toBe('COMPLETED');
      expect(done.result?.type).toBe('invoice');
      await expectWebhooksOnceInEffect(hooks, job.id);
    },
    120_000,
  );
});
