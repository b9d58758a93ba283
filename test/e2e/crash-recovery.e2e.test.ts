import { makeTextPdf, type ServiceStack, scannedPdf, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { CONTRACT_PAGES, INVOICE_TEXT, RULES } from './documents.js';

describe('worker crashes and shutdowns', () => {
  let stack: ServiceStack;

  beforeAll(async () => {
    // Short locks, so that a dead worker's job is noticed in seconds rather than the default 30-60 s.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'crash',
      env: { API_KEYS, LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' },
      workers: ['classify-worker'],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a job whose worker is killed with SIGKILL mid-job is picked up again and completes', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    // Enough pages that parsing takes a while, so the kill lands mid-job.
    const pdf = await makeTextPdf(Array.from({ length: 400 }, (_, i) => CONTRACT_PAGES[i % 3] as string[]));
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'big.pdf'),
      purpose: 'classify',
    });
    const job = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES, parsing_configuration: { max_pages: 400 } },
    });
    const doomed = await stack.startApp('parse-worker');
    let status = job.status;
    for (let i = 0; i < 200 && status === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await a.classify.get(job.id)).status;
    }
    expect(status).toBe('RUNNING');
    await stack.stopApp(doomed, 'SIGKILL');
    expect((await a.classify.get(job.id)).status).toBe('RUNNING');

    await stack.startApp('parse-worker');
    const done = await a.classify.waitForCompletion(job.id, undefined, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('contract');
  });

  it('a worker sent SIGTERM finishes its active job, exits 0, and leaves queued jobs for the next worker', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    // Only the worker under test may take parse jobs.
    for (const app of stack.apps.filter((p) => p.name === 'parse-worker')) await stack.stopApp(app);
    const pdf = await makeTextPdf(
      Array.from({ length: 400 }, (_, i) => CONTRACT_PAGES[(i + 1) % 3] as string[]),
    );
    const big = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'big2.pdf'),
      purpose: 'classify',
    });
    const small = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'small.txt'),
      purpose: 'classify',
    });
    const worker = await stack.startApp('parse-worker', { WORKER_CONCURRENCY: '1' });
    const first = await a.classify.create({
      file_input: big.id,
      configuration: { rules: RULES, parsing_configuration: { max_pages: 400 } },
    });
    let status = first.status;
    for (let i = 0; i < 200 && status === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await a.classify.get(first.id)).status;
    }
    expect(status).toBe('RUNNING');
    const second = await a.classify.create({ file_input: small.id, configuration: { rules: RULES } });
    const exitCode = await stack.stopApp(worker, 'SIGTERM');
    expect(exitCode).toBe(0);
    // The active parse finished before the worker left, so its job can complete without another parse worker.
    const firstDone = await a.classify.waitForCompletion(first.id, undefined, POLL);
    expect(firstDone.result?.type).toBe('contract');
    expect((await a.classify.get(second.id)).status).toBe('PENDING');
    await stack.startApp('parse-worker');
    const secondDone = await a.classify.waitForCompletion(second.id, undefined, POLL);
    expect(secondDone.result?.type).toBe('invoice');
  });

  it('a worker sent SIGTERM during a long OCR hands the parse back to the queue after its grace time', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    for (const app of stack.apps.filter((p) => p.name === 'parse-worker')) await stack.stopApp(app);
    const lines = ['INVOICE', 'Invoice number 4711', 'Total amount due 320.70 EUR', 'Payment within 30 days'];
    const scan = await scannedPdf(Array.from({ length: 4 }, (_, i) => [...lines, `Page ${i + 1}`]));
    const file = await a.files.create({
      file: await toFile(Buffer.from(scan), 'long-scan.pdf'),
      purpose: 'classify',
    });
    const worker = await stack.startApp('parse-worker', {
      WORKER_CONCURRENCY: '1',
      SHUTDOWN_GRACE_MS: '300',
    });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    let status = job.status;
    for (let i = 0; i < 200 && status === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await a.classify.get(job.id)).status;
    }
    expect(status).toBe('RUNNING');
    // Into the OCR of four pages, which takes seconds even on a fast machine.
    await new Promise((r) => setTimeout(r, 800));
    expect(await stack.stopApp(worker, 'SIGTERM')).toBe(0);

    const parseJob = await a.parsing.get(job.parse_job_id as string);
    expect(parseJob.job.status).toBe('RUNNING');
    const { queues } = (await (await fetch(`${stack.baseUrl}/ready`)).json()) as {
      queues: { parse: { waiting: number; active: number; delayed: number } };
    };
    expect(queues.parse.active).toBe(0);
    expect(queues.parse.waiting + queues.parse.delayed).toBe(1);

    await stack.startApp('parse-worker');
    const done = await a.classify.waitForCompletion(job.id, undefined, { ...POLL, timeout: 120 });
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
  });

  it('a job whose parse worker dies under it three times fails saying why, instead of taking down a fourth', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    for (const app of stack.apps.filter((p) => p.name === 'parse-worker')) await stack.stopApp(app);
    const lines = ['INVOICE', 'Invoice number 4712', 'Total amount due 99.00 EUR'];
    const scan = await scannedPdf(Array.from({ length: 4 }, (_, i) => [...lines, `Sheet ${i + 1}`]));
    const file = await a.files.create({
      file: await toFile(Buffer.from(scan), 'killer.pdf'),
      purpose: 'classify',
    });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    const redis = new Redis(inject('redisUrl'));
    // BullMQ counts each time a worker takes the job; the kill comes right after a new one has.
    const starts = async () =>
      Number((await redis.hget(`${stack.prefix}:parse:${job.parse_job_id}`, 'ats')) ?? 0);
    try {
      for (let death = 1; death <= 3; death++) {
        const worker = await stack.startApp('parse-worker', { WORKER_CONCURRENCY: '1' });
        await expect.poll(starts, { timeout: 20_000, interval: 50 }).toBe(death);
        await stack.stopApp(worker, 'SIGKILL');
      }
      const survivor = await stack.startApp('parse-worker', { WORKER_CONCURRENCY: '1' });
      await expect
        .poll(async () => (await a.classify.get(job.id)).status, { timeout: 30_000, interval: 200 })
        .toBe('FAILED');
      const failed = await a.classify.get(job.id);
      expect(failed.error_message).toMatch(
        /^The document could not be parsed: the parse worker stopped \(it crashed, ran out of memory or was killed\) while working on this job 3 times, so it is not handed to another worker again; .*max_pages/,
      );
      // The fourth worker failed it without reading it, and is alive for the next job.
      expect(survivor.child.exitCode).toBeNull();
      const next = await a.files.create({
        file: await toFile(Buffer.from(INVOICE_TEXT), 'next.txt'),
        purpose: 'classify',
      });
      const done = await a.classify.run({ file_input: next.id, configuration: { rules: RULES } }, POLL);
      expect(done.result?.type).toBe('invoice');
    } finally {
      redis.disconnect();
    }
  });
});
