import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const LIMIT = 3;

describe('the per-project limit on requests that create work', () => {
  let stack: ServiceStack;
  let fileId: string;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'limit',
      env: { API_KEYS, RATE_LIMIT_PER_SECOND: String(LIMIT) },
      workers: [],
    });
    const file = await sdk(stack.baseUrl, 'key-a', 5).files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'limit.txt'),
      purpose: 'classify',
    });
    fileId = file.id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const create = (key: string) =>
    fetch(`${stack.baseUrl}/api/v2/classify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file_input: fileId, configuration: { rules: RULES } }),
    });

  it('answers 429 with Retry-After past the limit, per project, and leaves reads alone', async () => {
    // Wait for the start of a second so that the burst falls in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const burst = await Promise.all(Array.from({ length: LIMIT + 4 }, () => create('key-a')));
    const limited = burst.filter((r) => r.status === 429);
    expect(burst.filter((r) => r.status === 200).length).toBeLessThanOrEqual(LIMIT);
    expect(limited.length).toBeGreaterThanOrEqual(4);
    const first = limited[0] as Response;
    expect(first.headers.get('retry-after')).toBe('1');
    expect(((await first.json()) as { detail: string }).detail).toMatch(/More than 3 requests per second/);
    // Project B has its own budget: its request reaches the route (and A's file is not B's).
    expect((await create('key-b')).status).toBe(404);
    const reads = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${stack.baseUrl}/api/v2/classify`, { headers: { authorization: 'Bearer key-a' } }),
      ),
    );
    expect(reads.every((r) => r.status === 200)).toBe(true);
  });

  it('is absorbed by the official SDK, which waits and retries', async () => {
    const client = sdk(stack.baseUrl, 'key-a', 5);
    const jobs = await Promise.all(
      Array.from({ length: LIMIT * 2 }, () =>
        client.classify.create({ file_input: fileId, configuration: { rules: RULES } }),
      ),
    );
    expect(new Set(jobs.map((j) => j.id)).size).toBe(LIMIT * 2);
    expect(jobs.every((j) => j.status === 'PENDING')).toBe(true);
  });
});
