import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { CONTRACT_PAGES, RULES } from './documents.js';

describe('a worker signalled again during its shutdown grace', () => {
  let stack: ServiceStack;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'signals',
      env: { API_KEYS },
      workers: ['classify-worker'],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('finishes its active job and exits 0 although SIGTERM and SIGINT arrive again', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const pdf = await makeTextPdf(
      Array.from({ length: 400 }, (_, i) => CONTRACT_PAGES[(i + 1) % 3] as string[]),
    );
    const big = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'big.pdf'),
      purpose: 'classify',
    });
    const worker = await stack.startApp('parse-worker', { WORKER_CONCURRENCY: '1' });
    const job = await a.classify.create({
      file_input: big.id,
      configuration: { rules: RULES, parsing_configuration: { max_pages: 400 } },
    });
    let status = job.status;
    for (let i = 0; i < 200 && status === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await a.classify.get(job.id)).status;
    }
    expect(status).toBe('RUNNING');

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      worker.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // As a process group receives them: the first starts the drain, the others must not end it.
    worker.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    worker.child.kill('SIGINT');
    worker.child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });

    // The parse finished before the worker left: no other parse worker runs here.
    const done = await a.classify.waitForCompletion(job.id, undefined, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('contract');
  });
});
