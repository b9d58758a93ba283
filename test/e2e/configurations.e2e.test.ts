import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk, statusError } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

type Detail = { detail: { loc: (string | number)[]; msg: string }[] };

describe('saved configurations through the official SDK', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  let b: ReturnType<typeof sdk>;

  beforeAll(async () => {
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'configs', env: { API_KEYS } });
    a = sdk(stack.baseUrl, 'key-a');
    b = sdk(stack.baseUrl, 'key-b');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists classify_v2 and parse_v2 configurations newest first, by product type, by name and by page', async () => {
    const triage = await a.configurations.create({
      name: 'triage',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const firstPages = await a.configurations.create({
      name: 'first-pages',
      parameters: {
        product_type: 'parse_v2',
        tier: 'fast',
        version: 'latest',
        page_ranges: { max_pages: 2 },
      },
    });
    expect(firstPages.product_type).toBe('parse_v2');
    expect(firstPages.parameters).toMatchObject({ page_ranges: { max_pages: 2 } });

    const all = await a.configurations.list();
    expect(all.items.map((c) => c.id)).toEqual([firstPages.id, triage.id]);
    const parseOnly = await a.configurations.list({ product_type: ['parse_v2'] });
    expect(parseOnly.items.map((c) => c.id)).toEqual([firstPages.id]);
    // A product type classifyd does not store matches nothing, and counts nothing.
    const listRaw = async (query: string) =>
      (await (
        await fetch(`${stack.baseUrl}/api/v1/beta/configurations?${query}`, {
          headers: { authorization: 'Bearer key-a' },
        })
      ).json()) as { items: { id: string }[]; next_page_token: string | null; total_size: number };
    const parseOrExtract = await listRaw('product_type=parse_v2&product_type=extract_v2&page_size=1');
    expect(parseOrExtract.items.map((c) => c.id)).toEqual([firstPages.id]);
    expect([parseOrExtract.total_size, parseOrExtract.next_page_token]).toEqual([1, null]);
    const extractOnly = await listRaw('product_type=extract_v2');
    expect([extractOnly.items, extractOnly.total_size, extractOnly.next_page_token]).toEqual([[], 0, null]);
    const byName = await a.configurations.list({ name: 'triage' });
    expect(byName.items.map((c) => c.id)).toEqual([triage.id]);

    const first = await a.configurations.list({ page_size: 1 });
    expect(first.items.map((c) => c.id)).toEqual([firstPages.id]);
    expect(first.next_page_token).toBeTruthy();
    const second = await a.configurations.list({ page_size: 1, page_token: first.next_page_token as string });
    expect(second.items.map((c) => c.id)).toEqual([triage.id]);
    expect(second.hasNextPage()).toBe(false);

    expect((await b.configurations.list()).items).toEqual([]);
  });

  it('updates name and rules in place, and a job on it uses the new rules', async () => {
    const saved = await a.configurations.create({
      name: 'before',
      parameters: { product_type: 'classify_v2', rules: RULES.filter((r) => r.type !== 'invoice') },
    });
    const updated = await a.configurations.update(saved.id, {
      name: 'after',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    expect(updated.id).toBe(saved.id);
    expect(updated.name).toBe('after');
    expect(Date.parse(updated.updated_at as string)).toBeGreaterThanOrEqual(
      Date.parse(saved.updated_at as string),
    );
    const read = await a.configurations.retrieve(saved.id);
    expect(read.name).toBe('after');
    expect((read.parameters as { rules: unknown[] }).rules).toEqual(RULES);
    expect((await a.configurations.list({ name: 'before' })).items).toEqual([]);

    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'configured.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: file.id, configuration_id: saved.id }, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
  });

  it('refuses bad parameters, an unsupported product and a name already taken, and keeps the record', async () => {
    const saved = await a.configurations.create({
      name: 'guarded',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const noRules = await statusError(
      a.configurations.update(saved.id, { parameters: { product_type: 'classify_v2', rules: [] } }),
    );
    expect(noRules.status).toBe(422);
    expect((noRules.body as Detail).detail[0]?.loc).toEqual(['body', 'parameters', 'rules']);

    const extract = await statusError(
      a.configurations.create({
        name: 'extractor',
        parameters: { product_type: 'extract_v2' } as never,
      }),
    );
    expect(extract.status).toBe(422);
    expect(JSON.stringify(extract.body)).toMatch(/product_type must be one of classify_v2, parse_v2/);

    await a.configurations.create({
      name: 'taken',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const clash = await statusError(a.configurations.update(saved.id, { name: 'taken' }));
    expect(clash.status).toBe(409);
    expect((clash.body as { detail: string }).detail).toMatch(/named "taken" already exists/);

    const kept = await a.configurations.retrieve(saved.id);
    expect(kept.name).toBe('guarded');
    expect((kept.parameters as { rules: unknown[] }).rules).toEqual(RULES);
  });

  it('deletes a configuration for its own project only; jobs made from it keep their rules', async () => {
    const saved = await a.configurations.create({
      name: 'short-lived',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'kept.txt'),
      purpose: 'classify',
    });
    const job = await a.classify.run({ file_input: file.id, configuration_id: saved.id }, POLL);

    for (const call of [
      () => b.configurations.update(saved.id, { name: 'stolen' }),
      () => b.configurations.delete(saved.id),
    ]) {
      expect((await statusError(call())).status).toBe(404);
    }
    expect((await a.configurations.retrieve(saved.id)).name).toBe('short-lived');

    await a.configurations.delete(saved.id);
    expect((await statusError(a.configurations.retrieve(saved.id))).status).toBe(404);
    expect((await statusError(a.configurations.delete(saved.id))).status).toBe(404);
    expect((await a.configurations.list({ name: 'short-lived' })).items).toEqual([]);
    const refused = await statusError(a.classify.create({ file_input: file.id, configuration_id: saved.id }));
    expect(refused.status).toBe(404);

    const kept = await a.classify.get(job.id);
    expect(kept.configuration_id).toBe(saved.id);
    expect(kept.configuration.rules).toEqual(RULES);
    expect(kept.result?.type).toBe('invoice');
  });
});
