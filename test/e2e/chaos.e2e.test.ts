import { type AppName, type AppProcess, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const JOBS = 2_000;
const FILES = 200;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const TERMINAL_EVENTS = new Set(['classify.success', 'classify.error', 'classify.cancelled']);

/** Runs `count` calls of `task`, `lanes` at a time. */
async function inLanes(count: number, lanes: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
}

describe('chaos: workers killed with SIGKILL at random while 2,000 jobs run', () => {
  let stack: ServiceStack;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'chaos',
      env: {
        API_KEYS,
        ALLOW_PRIVATE_URLS: 'true',
        RATE_LIMIT_PER_SECOND: '0',
        // A killed worker's jobs come back within a couple of seconds.
        LOCK_DURATION_MS: '2000',
        STALLED_INTERVAL_MS: '1000',
      },
    });
    // Two of each, so that a kill never leaves a stage without a worker for long.
    await stack.startApp('parse-worker');
    await stack.startApp('classify-worker');
  });
  afterAll(async () => {
    await stack?.stop();
    hooks?.close();
  });

  it('loses no job, leaves none stuck, and ends each with one terminal status and its webhook', async () => {
    const a = sdk(stack.baseUrl, 'key-a', 5);
    const files = await Promise.all(
      Array.from({ length: FILES }, async (_, i) =>
        a.files.create({
          file: await toFile(Buffer.from(`${INVOICE_TEXT}\nref ${i}`), `c-${i}.txt`),
          purpose: 'classify',
        }),
      ),
    );

    let chaos = true;
    let kills = 0;
    const replacements: Promise<unknown>[] = [];
    const monkey = (async () => {
      while (chaos) {
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
        if (!chaos) break;
        const workers = stack.apps.filter(
          (p) => p.name !== 'api' && p.child.exitCode === null && p.child.signalCode === null,
        );
        const victim = workers[Math.floor(Math.random() * workers.length)] as AppProcess | undefined;
        if (!victim) continue;
        await stack.stopApp(victim, 'SIGKILL');
        kills++;
        // Not awaited: a worker takes seconds to start, and the kills go on meanwhile.
        replacements.push(stack.startApp(victim.name as AppName).catch(() => {}));
      }
      await Promise.all(replacements);
    })();

    const ids: string[] = [];
    await inLanes(JOBS, 16, async (i) => {
      const job = await a.classify.create({
        file_input: (files[i % FILES] as { id: string }).id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url: hooks.url, webhook_output_format: 'json' }],
      });
      ids[i] = job.id;
    });

    // Wait for every job to end, while the kills go on for a while.
    const statuses = new Map<string, string>();
    const deadline = Date.now() + 240_000;
    let open = ids.length;
    while (open > 0 && Date.now() < deadline) {
      if (Date.now() > deadline - 200_000) chaos = false;
      await new Promise((r) => setTimeout(r, 1000));
      open = 0;
      await inLanes(ids.length, 16, async (i) => {
        const id = ids[i] as string;
        if (TERMINAL.has(statuses.get(id) ?? '')) return;
        const status = (await a.classify.get(id)).status;
        statuses.set(id, status);
        if (!TERMINAL.has(status)) open++;
      });
    }
    chaos = false;
    await monkey;
    // Terminal webhook deliveries per job: event id -> status.
    const terminal = new Map<string, Map<string, string>>();
    const collect = () => {
      terminal.clear();
      for (const event of hooks.events.filter((e) => TERMINAL_EVENTS.has(e.event_type))) {
        const seen = terminal.get(event.data.id) ?? new Map<string, string>();
        seen.set(event.event_id, event.data.status);
        terminal.set(event.data.id, seen);
      }
    };
    // Webhooks of the last jobs are on their way.
    collect();
    for (let i = 0; i < 100 && [...statuses.keys()].some((id) => !terminal.has(id)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      collect();
    }

    const stuck = ids.filter((id) => !TERMINAL.has(statuses.get(id) ?? ''));
    const failed = ids.filter((id) => statuses.get(id) === 'FAILED');
    const withoutWebhook = ids.filter((id) => !terminal.has(id));
    const twice = ids.filter((id) => (terminal.get(id)?.size ?? 0) > 1);
    const disagreeing = ids.filter((id) =>
      [...(terminal.get(id)?.values() ?? [])].some((status) => status !== statuses.get(id)),
    );
    console.log(
      `chaos: ${kills} workers killed; ${ids.length} jobs: ${ids.length - stuck.length - failed.length} completed, ` +
        `${failed.length} failed, ${stuck.length} stuck; ${withoutWebhook.length} without a terminal webhook, ` +
        `${twice.length} with two terminal events`,
    );
    expect(kills).toBeGreaterThan(10);
    expect(stuck).toEqual([]);
    expect(withoutWebhook).toEqual([]);
    expect(twice).toEqual([]);
    expect(disagreeing).toEqual([]);
    for (const id of failed) expect((await a.classify.get(id)).error_message, id).toBeTruthy();
  }, 300_000);
});
