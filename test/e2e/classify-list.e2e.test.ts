import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

describe('classify.list through the official SDK', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  const ids: string[] = [];
  const cancelled: string[] = [];
  let configId = '';
  let withConfig: string[] = [];
  let middle = '';

  beforeAll(async () => {
    // No workers: jobs stay PENDING unless cancelled, so every status below is deterministic.
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'list',
      env: { API_KEYS },
      workers: [],
    });
    a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'a.txt'),
      purpose: 'classify',
    });
    configId = (
      await a.configurations.create({
        name: 'list',
        parameters: { product_type: 'classify_v2', rules: RULES },
      })
    ).id;
    for (let i = 0; i < 23; i++) {
      // Job 11 gets a millisecond of its own, so the created_at bounds below are exact.
      if (i === 11) await new Promise((r) => setTimeout(r, 5));
      const job = await a.classify.create(
        i % 3 === 0
          ? { file_input: file.id, configuration_id: configId }
          : { file_input: file.id, configuration: { rules: RULES } },
      );
      ids.push(job.id);
      if (i === 11) {
        middle = job.created_at as string;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    for (const id of ids.filter((_, i) => i % 4 === 1)) {
      await a.classify.cancel(id);
      cancelled.push(id);
    }
    withConfig = ids.filter((_, i) => i % 3 === 0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('pages newest first with page_size and next_page_token until the token is null', async () => {
    const firstPage = await a.classify.list({ page_size: 5 });
    expect(firstPage.items).toHaveLength(5);
    expect(firstPage.next_page_token).toBeTruthy();
    const seen: string[] = [];
    for await (const job of a.classify.list({ page_size: 5 })) seen.push(job.id);
    expect(seen).toEqual([...ids].reverse());
    const pages: number[] = [];
    let page = await a.classify.list({ page_size: 10 });
    pages.push(page.items.length);
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      pages.push(page.items.length);
    }
    expect(pages).toEqual([10, 10, 3]);
    const raw = (await (
      await fetch(`${stack.baseUrl}/api/v2/classify?page_size=100`, {
        headers: { authorization: 'Bearer key-a' },
      })
    ).json()) as { next_page_token: string | null; total_size: number };
    expect(raw.next_page_token).toBeNull();
    expect(raw.total_size).toBe(23);
  });

  it('filters by status', async () => {
    const got: string[] = [];
    for await (const job of a.classify.list({ status: 'CANCELLED', page_size: 2 })) {
      expect(job.status).toBe('CANCELLED');
      got.push(job.id);
    }
    expect(got).toEqual([...cancelled].reverse());
    const pending = await a.classify.list({ status: 'PENDING', page_size: 100 });
    expect(pending.items).toHaveLength(23 - cancelled.length);
  });

  it('filters by configuration_id, alone and with status', async () => {
    const got: string[] = [];
    for await (const job of a.classify.list({ configuration_id: configId, page_size: 3 })) got.push(job.id);
    expect(got).toEqual([...withConfig].reverse());
    const both = await a.classify.list({ configuration_id: configId, status: 'CANCELLED', page_size: 100 });
    expect(both.items.map((j) => j.id)).toEqual(withConfig.filter((id) => cancelled.includes(id)).reverse());
  });

  it('filters by repeated job_ids', async () => {
    const wanted = [ids[0], ids[5], ids[22]] as string[];
    const got = await a.classify.list({ job_ids: wanted, page_size: 2 });
    expect(got.items.map((j) => j.id)).toEqual([ids[22], ids[5]]);
    const rest = await got.getNextPage();
    expect(rest.items.map((j) => j.id)).toEqual([ids[0]]);
    expect(rest.hasNextPage()).toBe(false);
  });

  it('filters by created_at bounds, inclusive', async () => {
    const after: string[] = [];
    for await (const job of a.classify.list({ created_at_on_or_after: middle, page_size: 4 }))
      after.push(job.id);
    expect(after).toEqual(ids.slice(11).reverse());
    const before: string[] = [];
    for await (const job of a.classify.list({ created_at_on_or_before: middle, page_size: 4 }))
      before.push(job.id);
    expect(before).toEqual(ids.slice(0, 12).reverse());
    const only = await a.classify.list({
      created_at_on_or_after: middle,
      created_at_on_or_before: middle,
      page_size: 10,
    });
    expect(only.items.map((j) => j.id)).toEqual([ids[11]]);
  });

  it('refuses a page_token from another query', async () => {
    const page = await a.classify.list({ page_size: 2 });
    const response = await fetch(
      `${stack.baseUrl}/api/v2/classify?page_size=2&status=PENDING&page_token=${page.next_page_token}`,
      { headers: { authorization: 'Bearer key-a' } },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/page_token/);
  });
});
