import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, PROJECT_A, sdk, statusError } from './clients.js';
import { CONTRACT_PAGES, INVOICE_TEXT, RECIPE_TEXT, RULES } from './documents.js';

const EXPAND = ['text', 'markdown', 'text_full', 'markdown_full', 'metadata', 'items', 'job_metadata'];

describe('parse v2 through the official SDK', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  let b: ReturnType<typeof sdk>;
  let pdf: Uint8Array;
  let documents: Server;
  let documentsUrl: string;

  beforeAll(async () => {
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'parse', env: { API_KEYS } });
    a = sdk(stack.baseUrl, 'key-a');
    b = sdk(stack.baseUrl, 'key-b');
    pdf = await makeTextPdf(CONTRACT_PAGES);
    documents = createServer((req, res) => {
      if (req.url === '/recipe.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(RECIPE_TEXT);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentsUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    documents?.close();
    await stack?.stop();
  });

  it('parses in one call (parsing.parse) and finds files with the deprecated files.query, within the project', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(RECIPE_TEXT), 'query-me.txt'),
      purpose: 'parse',
    });
    const parsed = await a.parsing.parse(
      { tier: 'fast', version: 'latest', file_id: file.id, expand: ['text'] },
      POLL,
    );
    expect(parsed.job.status).toBe('COMPLETED');
    expect(parsed.text?.pages.length).toBeGreaterThan(0);

    const byName = await a.files.query({ filter: { file_name: 'query-me.txt' } });
    expect(byName.items.map((f) => f.id)).toEqual([file.id]);
    const byId = await a.files.query({ filter: { file_ids: [file.id] }, page_size: 1 });
    expect(byId.items.map((f) => f.id)).toEqual([file.id]);
    expect((await a.files.query({ filter: { data_source_id: 'ds-1' } })).items).toEqual([]);
    expect((await b.files.query({ filter: { file_ids: [file.id] } })).items).toEqual([]);
  });

  it('lists the parse versions it answers for, as the SDK reads them', async () => {
    const versions = await a.parsing.listVersions();
    expect(versions.fast.length).toBeGreaterThan(0);
    expect(versions.latest.fast).toBe(versions.fast[0]);
    expect(versions.agentic).toEqual([]);
    // The version it names is accepted by a create, and read.
    const job = await a.parsing.create({
      tier: 'fast',
      version: versions.latest.fast as 'latest',
      source_url: `${documentsUrl}/recipe.txt`,
    });
    expect((await a.parsing.waitForCompletion(job.id, undefined, POLL)).job.status).toBe('COMPLETED');
  });

  it('parses an upload page by page, with every expansion', async () => {
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from(pdf), 'agreement.pdf'),
    });
    expect(job.id).toMatch(/^pjb-[0-9a-f-]{36}$/);
    expect(job.project_id).toBe(PROJECT_A);
    expect(['PENDING', 'RUNNING', 'COMPLETED']).toContain(job.status);
    const done = await a.parsing.waitForCompletion(job.id, { expand: EXPAND }, POLL);
    expect(done.job.status).toBe('COMPLETED');
    expect(done.job.name).toBe('agreement.pdf');
    expect(done.text?.pages.map((p) => p.page_number)).toEqual([1, 2, 3]);
    expect(done.text?.pages[1]?.text).toContain((CONTRACT_PAGES[1] as string[])[0]);
    expect(done.markdown?.pages.every((p) => p.success)).toBe(true);
    expect(done.text_full).toContain((CONTRACT_PAGES[2] as string[])[0]);
    expect(done.markdown_full?.length).toBeGreaterThan(100);
    expect(done.metadata?.pages).toHaveLength(3);
    expect(done.items?.pages).toHaveLength(3);
    expect(done.job_metadata).toMatchObject({ format: 'pdf', page_count: 3, pages_parsed: 3 });
    const bare = await a.parsing.get(job.id);
    expect(bare.text ?? null).toBeNull();
  });

  it('honours page_ranges: target_pages wins over max_pages', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'pages.pdf'),
      purpose: 'parse',
    });
    const only = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      file_id: file.id,
      page_ranges: { target_pages: '2-3', max_pages: 1 },
      disable_cache: true,
    });
    const first = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      file_id: file.id,
      page_ranges: { max_pages: 1 },
      disable_cache: true,
    });
    const pagesOf = async (id: string) =>
      (await a.parsing.waitForCompletion(id, { expand: ['text'] }, POLL)).text?.pages.map(
        (p) => p.page_number,
      );
    expect(await pagesOf(only.id)).toEqual([2, 3]);
    expect(await pagesOf(first.id)).toEqual([1]);
    const saved = await a.configurations.create({
      name: 'third page',
      parameters: {
        product_type: 'parse_v2',
        tier: 'fast',
        version: 'latest',
        page_ranges: { target_pages: '3' },
      },
    } as never);
    const fromSaved = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      file_id: file.id,
      configuration_id: saved.id,
    });
    expect(await pagesOf(fromSaved.id)).toEqual([3]);
    // The SDK's documented way to take tier and version from the saved configuration.
    const configured = await a.parsing.create({
      tier: 'configured' as never,
      version: 'configured',
      file_id: file.id,
      configuration_id: saved.id,
    });
    expect(configured.tier).toBe('fast');
    expect(await pagesOf(configured.id)).toEqual([3]);
  });

  it('answers expand values the SDK documents but classifyd has nothing for by leaving them out', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'expand.pdf'),
      purpose: 'parse',
    });
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      file_id: file.id,
      processing_options: { ocr_parameters: { languages: ['ch_sim'] } },
    });
    const done = await a.parsing.waitForCompletion(
      job.id,
      { expand: ['text', 'text_content_metadata', 'forms', 'usage'] },
      POLL,
    );
    expect(done.job.status).toBe('COMPLETED');
    expect(done.text?.pages.length).toBeGreaterThan(0);
    expect(done).not.toHaveProperty('text_content_metadata');
    expect(done).not.toHaveProperty('forms');
  });

  it('parses the same bytes once: a second parse job copies the pages, a classify reuses the parse', async () => {
    const upload = async (name: string) =>
      a.files.create({ file: await toFile(Buffer.from(INVOICE_TEXT), name), purpose: 'parse' });
    const [one, two, three] = [await upload('one.txt'), await upload('two.txt'), await upload('three.txt')];
    const first = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: one.id });
    await a.parsing.waitForCompletion(first.id, undefined, POLL);
    const second = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: two.id });
    const copied = await a.parsing.waitForCompletion(
      second.id,
      { expand: ['job_metadata', 'text_full'] },
      POLL,
    );
    expect(copied.job_metadata).toMatchObject({ copied_from_cache: first.id });
    expect(copied.text_full).toContain('INV-2026-0412');
    const classified = await a.classify.run({ file_input: three.id, configuration: { rules: RULES } }, POLL);
    expect(classified.status).toBe('COMPLETED');
    expect(classified.result?.type).toBe('invoice');
    expect(classified.parse_job_id).toBe(first.id);
  });

  it('lets a classify job wait for a parse job that has not finished, then read it', async () => {
    const parser = stack.apps.find((app) => app.name === 'parse-worker');
    if (!parser) throw new Error('no parse worker in the stack');
    await stack.stopApp(parser);
    try {
      const file = await a.files.create({
        file: await toFile(Buffer.from(pdf), 'wait.pdf'),
        purpose: 'parse',
      });
      const parse = await a.parsing.create({
        tier: 'fast',
        version: 'latest',
        file_id: file.id,
        disable_cache: true,
      });
      const classify = await a.classify.create({ file_input: parse.id, configuration: { rules: RULES } });
      expect(classify.document_input_type).toBe('parse_job_id');
      expect((await a.parsing.get(parse.id)).job.status).toBe('PENDING');
      await stack.startApp('parse-worker');
      const done = await a.classify.waitForCompletion(classify.id, undefined, POLL);
      expect(done.status).toBe('COMPLETED');
      expect(done.result?.type).toBe('contract');
      expect(done.parse_job_id).toBe(parse.id);
    } finally {
      if (!stack.apps.some((app) => app.name === 'parse-worker' && app.child.exitCode === null)) {
        await stack.startApp('parse-worker');
      }
    }
  });

  it("picks a classify job's pages among those of the parse job it reads", async () => {
    const mixed = await makeTextPdf([RECIPE_TEXT.split('\n'), INVOICE_TEXT.split('\n')]);
    const file = await a.files.create({
      file: await toFile(Buffer.from(mixed), 'mixed.pdf'),
      purpose: 'parse',
    });
    const parse = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: file.id });
    const classifyPages = (parsing_configuration: Record<string, unknown>) =>
      a.classify.run({ file_input: parse.id, configuration: { rules: RULES, parsing_configuration } }, POLL);
    expect((await classifyPages({ target_pages: '1' })).result?.type).toBe('recipe');
    expect((await classifyPages({ target_pages: '2' })).result?.type).toBe('invoice');
    expect((await classifyPages({ max_pages: 1 })).result?.type).toBe('recipe');
    const none = await classifyPages({ target_pages: '5' }).catch((error: Error) => error);
    expect(String(none)).toMatch(/FAILED/);
    const [failed] = (await a.classify.list({ status: 'FAILED', page_size: 1 })).items;
    expect(failed?.error_message).toMatch(
      /target_pages "5" selects none of the pages parse job .* read \(1, 2\)/,
    );
  });

  it('fetches source_url documents, and classifies a URL', async () => {
    const job = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      source_url: `${documentsUrl}/recipe.txt`,
    });
    const done = await a.parsing.waitForCompletion(job.id, { expand: ['text_full'] }, POLL);
    expect(done.text_full).toContain('Lemon Drizzle Cake');
    const missing = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      source_url: `${documentsUrl}/gone`,
    });
    await expect(a.parsing.waitForCompletion(missing.id, undefined, POLL)).rejects.toThrow(/HTTP 404/);
    const record = await a.parsing.get(missing.id);
    expect(record.job.status).toBe('FAILED');
    expect(record.job.error_message).toMatch(/404/);
    const classified = await a.classify.run(
      { file_input: `${documentsUrl}/recipe.txt`, configuration: { rules: RULES } },
      POLL,
    );
    expect(classified.document_input_type).toBe('url');
    expect(classified.result?.type).toBe('recipe');
  });

  it('lists, cancels and deletes parse jobs, within the project only', async () => {
    const parser = stack.apps.find((app) => app.name === 'parse-worker' && app.child.exitCode === null);
    if (!parser) throw new Error('no parse worker in the stack');
    await stack.stopApp(parser);
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'cancel.pdf'),
      purpose: 'parse',
    });
    const pending = await a.parsing.create({ tier: 'fast', version: 'latest', file_id: file.id });
    expect((await statusError(a.parsing.delete(pending.id))).status).toBe(409);
    const cancelled = await a.parsing.cancel(pending.id);
    expect(cancelled.status).toBe('CANCELLED');
    expect((await statusError(a.parsing.cancel(pending.id))).status).toBe(409);
    await stack.startApp('parse-worker');

    const listed = [];
    for await (const job of a.parsing.list({ page_size: 2 })) listed.push(job);
    expect(listed.length).toBeGreaterThanOrEqual(5);
    expect(listed[0]?.id).toBe(pending.id);
    const created = listed.map((j) => Date.parse(j.created_at as string));
    expect(created).toEqual([...created].sort((x, y) => y - x));
    const onlyCancelled = await a.parsing.list({ status: 'CANCELLED' });
    expect(onlyCancelled.items.map((j) => j.id)).toEqual([pending.id]);

    expect((await statusError(b.parsing.get(pending.id))).status).toBe(404);
    expect((await statusError(b.parsing.cancel(pending.id))).status).toBe(404);
    expect((await statusError(b.parsing.delete(pending.id))).status).toBe(404);
    expect((await b.parsing.list()).items).toEqual([]);

    expect(await a.parsing.delete(pending.id)).toEqual({ id: pending.id, project_id: PROJECT_A });
    expect((await statusError(a.parsing.get(pending.id))).status).toBe(404);
  });

  it('refuses bad parse requests with 422s that name the field', async () => {
    const loc = async (body: Record<string, unknown>) => {
      const failed = await statusError(a.parsing.create(body as never));
      expect(failed.status).toBe(422);
      return (failed.body as { detail: { loc: (string | number)[] }[] }).detail.map((d) => d.loc.join('.'));
    };
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'x.txt'),
      purpose: 'parse',
    });
    expect(await loc({ tier: 'agentic', version: 'latest', file_id: file.id })).toContain('body.tier');
    expect(await loc({ tier: 'fast', version: 'latest' })).toContain('body.file_id');
    expect(
      await loc({ tier: 'fast', version: 'latest', file_id: file.id, page_ranges: { target_pages: '3-1' } }),
    ).toContain('body.page_ranges.target_pages');
    expect(await loc({ tier: 'fast', version: 'latest', source_url: 'ftp://example.com/a.pdf' })).toContain(
      'body.source_url',
    );
    expect(
      (
        await statusError(
          a.parsing.create({
            tier: 'fast',
            version: 'latest',
            file_id: 'dfl-00000000-0000-4000-8000-000000000000',
          }),
        )
      ).status,
    ).toBe(404);
  });

  it('keeps no file from an upload whose parse request is refused', async () => {
    // The SDK's files page omits total_size (in its type and its page object), so it is read from the answer.
    const listFiles = async () =>
      (await (await a.files.list({ page_size: 100 }).asResponse()).json()) as {
        items: { name: string }[];
        total_size: number;
      };
    const filesBefore = (await listFiles()).total_size;
    const upload = async (extra: Record<string, unknown>) =>
      statusError(
        a.parsing.create({
          tier: 'fast',
          version: 'latest',
          upload_file: await toFile(Buffer.from(INVOICE_TEXT), 'refused.txt'),
          ...extra,
        } as never),
      );
    expect((await upload({ tier: 'agentic' })).status).toBe(422);
    expect((await upload({ page_ranges: { target_pages: '0' } })).status).toBe(422);
    expect((await upload({ configuration_id: 'cfg-00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const after = await listFiles();
    expect(after.total_size).toBe(filesBefore);
    expect(after.items.some((f) => f.name === 'refused.txt')).toBe(false);
  });
});
