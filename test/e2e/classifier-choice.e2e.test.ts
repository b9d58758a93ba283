import { fileURLToPath } from 'node:url';
import {
  type FakeMessagesServer,
  fakeReply,
  startFakeMessagesServer,
} from '@classifyd/claude-classifier/test-support';
import { type AppProcess, freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, runToExit, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const FAKE_KEY = 'sk-ant-test-key';

describe('choosing the classifier: CLASSIFIER=auto|embedded|anthropic, Claude through a fake Messages API', () => {
  let stack: ServiceStack;
  let fake: FakeMessagesServer;
  let a: ReturnType<typeof sdk>;
  let redis: Redis;
  let fileId: string;
  let worker: AppProcess | undefined;

  const startWorker = async (env: Record<string, string>) => {
    worker = await stack.startApp('classify-worker', env);
    return worker;
  };
  const classify = async () => a.classify.run({ file_input: fileId, configuration: { rules: RULES } }, POLL);

  beforeAll(async () => {
    fake = await startFakeMessagesServer({ apiKey: FAKE_KEY });
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'claude',
      env: { API_KEYS },
      workers: ['parse-worker'],
    });
    a = sdk(stack.baseUrl, 'key-a');
    redis = new Redis(inject('redisUrl'));
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'bill.txt'),
      purpose: 'classify',
    });
    fileId = file.id;
  });
  afterEach(async () => {
    if (worker) await stack.stopApp(worker);
    worker = undefined;
    fake.reset();
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
    await fake?.close();
  });

  it('auto with a key uses Claude: its answer, its reasoning, the token usage kept with the job', async () => {
    const app = await startWorker({ ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: fake.url });
    expect(app.output()).toMatch(/"classifier":"anthropic"/);
    const done = await classify();
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    expect(done.result?.reasoning).toContain('"invoice" on page 1');
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]?.body;
    expect(sent?.tool_choice).toMatchObject({ name: 'record_classification' });
    expect(JSON.stringify(sent?.messages)).toContain('INV-2026-0412');
    expect(done.result).not.toHaveProperty('usage');
    const usage = JSON.parse((await redis.hget(`${stack.prefix}:s:job:${done.id}`, 'usage')) ?? 'null');
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(app.output()).not.toContain(FAKE_KEY);
  });

  it('waits out a 429 storm without spending attempts, then completes', async () => {
    fake.enqueue(
      ...Array.from({ length: 4 }, () => fakeReply.rateLimited({ ms: 150 })),
      fakeReply.overloaded(0),
    );
    const app = await startWorker({ ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: fake.url });
    const done = await classify();
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    // Five refusals and the answer: more calls than the stage's attempts, so none was spent.
    expect(fake.requests).toHaveLength(6);
    expect(app.output()).toMatch(/classifier rate limited; queue paused/);
  });

  it('retries a server error of the model with backoff, and counts it as a classifier error and a retry', async () => {
    fake.enqueue(fakeReply.error(500, 'api_error', 'Internal server error'));
    const metricsPort = await freePort();
    await startWorker({
      ANTHROPIC_API_KEY: FAKE_KEY,
      ANTHROPIC_BASE_URL: fake.url,
      METRICS_PORT: String(metricsPort),
    });
    const done = await classify();
    expect(done.status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(2);
    // The stage's BullMQ job completes just after the answer the client saw.
    let scraped = '';
    for (let i = 0; i < 50 && !/classifyd_stage_jobs_total\{[^}]*outcome="completed"/.test(scraped); i++) {
      await new Promise((r) => setTimeout(r, 100));
      scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    }
    expect(scraped).toContain('classifyd_classifier_errors_total{classifier="anthropic"} 1');
    expect(scraped).toContain('classifyd_stage_jobs_total{stage="classify",outcome="retried"} 1');
    expect(scraped).toContain('classifyd_stage_jobs_total{stage="classify",outcome="completed"} 1');
  });

  it('fails a job at once, with a message a person can act on, when the key is refused', async () => {
    await startWorker({ ANTHROPIC_API_KEY: 'sk-ant-wrong', ANTHROPIC_BASE_URL: fake.url });
    const job = await a.classify.create({ file_input: fileId, configuration: { rules: RULES } });
    let done = await a.classify.get(job.id);
    while (done.status === 'PENDING' || done.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 100));
      done = await a.classify.get(job.id);
    }
    expect(done.status).toBe('FAILED');
    expect(done.error_message).toMatch(/ANTHROPIC_API_KEY/);
    expect(done.error_message).not.toContain('sk-ant-wrong');
    expect(fake.requests).toHaveLength(1);
  });

  it('auto without a key, and embedded even with one, use the offline classifier', async () => {
    const auto = await startWorker({ ANTHROPIC_API_KEY: '' });
    expect(auto.output()).toMatch(/"classifier":"embedded"/);
    expect((await classify()).result?.type).toBe('invoice');
    await stack.stopApp(auto);
    const embedded = await startWorker({
      CLASSIFIER: 'embedded',
      ANTHROPIC_API_KEY: FAKE_KEY,
      ANTHROPIC_BASE_URL: fake.url,
    });
    expect(embedded.output()).toMatch(/"classifier":"embedded"/);
    expect((await classify()).result?.type).toBe('invoice');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses CLASSIFIER=anthropic without a key at boot, naming the setting', async () => {
    const main = fileURLToPath(new URL('../../apps/classify-worker/dist/main.js', import.meta.url));
    const { code, output } = await runToExit(main, {
      ...process.env,
      ...stack.env,
      CLASSIFIER: 'anthropic',
      ANTHROPIC_API_KEY: '',
    });
    expect(code).toBe(78);
    expect(output).toMatch(/ANTHROPIC_API_KEY/);
  });
});
