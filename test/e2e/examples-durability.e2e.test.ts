import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk, statusError } from './clients.js';
import { CONTRACT_PAGES, INVOICE_TEXT, RULES } from './documents.js';
import { examplesApi } from './examples-api.js';

describe('examples outlive the retention of their parse jobs', () => {
  let stack: ServiceStack;

  beforeAll(async () => {
    // Finished jobs and their parse text expire after a second, and the sweep runs twice a second.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'examples-retention',
      env: { API_KEYS, JOB_RETENTION_SECONDS: '1', SWEEP_INTERVAL_MS: '500' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps a READY example, text and all, after its file is deleted and its parse job is swept', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const examples = examplesApi(stack.baseUrl, 'key-a');
    const cfg = await a.configurations.create({
      name: 'retained',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'invoice.txt'),
      purpose: 'classify',
    });
    const job = await a.classify.run({ file_input: file.id, configuration_id: cfg.id }, POLL);
    const example = await examples.added(cfg.id, job.parse_job_id as string, 'invoice');
    expect(example.status).toBe('READY');
    await a.files.delete(file.id);

    // The sweep removes the job and its parse job once their retention has passed: the parse
    // job first (it finished first), the classify job up to a sweep later.
    for (const gone of [() => a.parsing.get(job.parse_job_id as string), () => a.classify.get(job.id)]) {
      await expect
        .poll(async () => (await statusError(gone())).status, { timeout: 30_000, interval: 200 })
        .toBe(404);
    }

    expect((await examples.get(cfg.id, example.id)).body).toMatchObject({ status: 'READY', type: 'invoice' });
    expect((await examples.list(cfg.id, 'status=READY')).body.total_size).toBe(1);
    const redis = new Redis(inject('redisUrl'));
    try {
      const text = await redis.get(`${stack.prefix}:s:exmtext:${example.id}`);
      expect(JSON.parse(text ?? '[]')[0].text).toContain('Invoice number: INV-2026-0412');
    } finally {
      redis.disconnect();
    }
  });
});

describe('an example survives workers killed while its document is parsed', () => {
  let stack: ServiceStack;

  beforeAll(async () => {
    // Short locks, so that a dead worker's job is noticed in seconds.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'examples-crash',
      env: { API_KEYS, LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' },
      workers: ['classify-worker'],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ends READY after the parse worker and the classify worker are killed with SIGKILL mid-way', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const examples = examplesApi(stack.baseUrl, 'key-a');
    const cfg = await a.configurations.create({
      name: 'crashing',
      parameters: { product_type: 'classify_v2', rules: RULES, parsing_configuration: { max_pages: 400 } },
    });
    // Enough pages that parsing takes a while, so the kill lands mid-parse.
    const pdf = await makeTextPdf(Array.from({ length: 400 }, (_, i) => CONTRACT_PAGES[i % 3] as string[]));
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'agreement.pdf'),
      purpose: 'classify',
    });
    const example = await examples.added(cfg.id, file.id, 'contract');
    expect(example.status).toBe('PENDING');
    const [parse] = (await a.parsing.list({})).items;
    expect(parse?.name).toBe('agreement.pdf');

    const parseWorker = await stack.startApp('parse-worker');
    await expect
      .poll(async () => (await a.parsing.get(parse?.id as string)).job.status, {
        timeout: 20_000,
        interval: 20,
      })
      .toBe('RUNNING');
    await stack.stopApp(parseWorker, 'SIGKILL');
    const classifyWorker = stack.apps.find((app) => app.name === 'classify-worker');
    if (classifyWorker) await stack.stopApp(classifyWorker, 'SIGKILL');
    expect((await examples.get(cfg.id, example.id)).body.status).toBe('PENDING');

    await stack.startApp('classify-worker');
    await stack.startApp('parse-worker');
    const settled = await examples.settled(cfg.id, example.id, 90_000);
    expect(settled).toMatchObject({ status: 'READY', error_message: null, type: 'contract' });
  });
});
