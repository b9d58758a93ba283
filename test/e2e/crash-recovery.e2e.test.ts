import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { CONTRACT_PAGES, RULES } from './documents.js';

describe('a worker killed with SIGKILL mid-job', () => {
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

  it('is picked up again by another worker and completes', async () => {
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
});
