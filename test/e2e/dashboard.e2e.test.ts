import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const LOGIN = { authorization: `Basic ${Buffer.from('admin:board').toString('base64')}` };

/** The board's answer for one queue entry (GET /queues/:queue/:id), as far as these tests read it. */
interface BoardJob {
  job: { failedReason?: string | null; returnValue: unknown };
}

describe('Bull Board tells the truth', () => {
  let stack: ServiceStack;
  const board = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.baseUrl}/admin/queues/api${path}`, { ...init, headers: { ...LOGIN, ...init.headers } });

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'board',
      env: { API_KEYS, DASHBOARD_AUTH: 'admin:board' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('offers no retry on the queues that mirror API jobs, and refuses one sent anyway', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const empty = await a.files.create({
      file: await toFile(Buffer.alloc(0), 'empty.pdf'),
      purpose: 'classify',
    });
    const created = await a.classify.create({ file_input: empty.id, configuration: { rules: RULES } });
    let failed = await a.classify.get(created.id);
    for (let i = 0; i < 200 && failed.status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      failed = await a.classify.get(created.id);
    }
    expect(failed.status).toBe('FAILED');
    const parseJobId = failed.parse_job_id as string;

    const { queues } = (await (await board('/queues')).json()) as {
      queues: { name: string; allowRetries: boolean }[];
    };
    const retries = Object.fromEntries(queues.map((q) => [q.name, q.allowRetries]));
    expect(retries).toMatchObject({ parse: false, classify: false, example: false, webhook: true });

    for (const [method, path] of [
      ['PUT', `/queues/parse/${parseJobId}/retry`],
      ['PUT', '/queues/parse/retry/failed'],
      ['PUT', `/queues/parse/${parseJobId}/clean`],
      ['PUT', '/queues/classify/clean/wait'],
      ['PUT', '/queues/classify/empty'],
      ['POST', '/queues/classify/add'],
    ] as const) {
      const refused = await board(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(((await refused.json()) as { detail: string }).detail, `${method} ${path}`).toMatch(
        /through the API/,
      );
    }
    // What stays is the API's answer, and BullMQ still holds the failure the board showed.
    expect((await a.classify.get(failed.id)).status).toBe('FAILED');
    const job = (await (await board(`/queues/parse/${parseJobId}`)).json()) as BoardJob;
    expect(job.job.failedReason).toBeTruthy();
    // Clearing finished entries changes nothing the API reports, so it stays allowed.
    expect((await board('/queues/parse/clean/failed', { method: 'PUT' })).status).toBe(200);
    expect((await a.classify.get(failed.id)).status).toBe('FAILED');
  });

  it('lets the board pause and resume a queue', async () => {
    expect((await board('/queues/classify/pause', { method: 'PUT' })).status).toBe(200);
    expect((await board('/queues/classify/resume', { method: 'PUT' })).status).toBe(200);
    const a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(done.result?.type).toBe('invoice');

    // Each stage's entry shows what a person looks for, and no document text.
    const parse = ((await (await board(`/queues/parse/${done.parse_job_id}`)).json()) as BoardJob).job;
    expect(parse.returnValue).toMatchObject({ format: 'text', pages: 1, pageCount: 1, failedPages: 0 });
    let classify = await board(`/queues/classify/${done.id}-after-parse`);
    if (classify.status === 404) classify = await board(`/queues/classify/${done.id}`);
    const entry = ((await classify.json()) as BoardJob).job;
    expect(entry.returnValue).toEqual({
      type: 'invoice',
      confidence: done.result?.confidence,
      classifier: 'embedded',
    });
    expect(JSON.stringify([parse, entry])).not.toContain('Invoice number');
  });
});
