import { encryptedPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RECIPE_TEXT, RULES } from './documents.js';
import { type Detail, examplesApi } from './examples-api.js';

/** The parts of /openapi.json that the test of the documented routes reads. */
interface OpenApiDoc {
  paths: Record<string, object> & { '/api/v1/beta/configurations/{configuration_id}/examples': object };
  components: {
    schemas: {
      Example: { properties: { status: { enum: string[] } } };
      ClassifyJob: { properties: Record<string, unknown> };
    };
  };
}

/** Small, so that the limit is reached in a test; the default is 10,000. */
const MAX_EXAMPLES = 3;

describe('labelled examples of a saved configuration, and corrections', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  let b: ReturnType<typeof sdk>;
  let examplesA: ReturnType<typeof examplesApi>;
  let examplesB: ReturnType<typeof examplesApi>;
  let documents = 0;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'examples',
      env: { API_KEYS, MAX_EXAMPLES_PER_CONFIGURATION: String(MAX_EXAMPLES) },
    });
    a = sdk(stack.baseUrl, 'key-a');
    b = sdk(stack.baseUrl, 'key-b');
    examplesA = examplesApi(stack.baseUrl, 'key-a');
    examplesB = examplesApi(stack.baseUrl, 'key-b');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** An upload no earlier test parsed, so that its parse starts from nothing. */
  const upload = async (client = a, text = INVOICE_TEXT, name = 'invoice.txt') =>
    client.files.create({
      file: await toFile(Buffer.from(`${text}\nDocument ${++documents}`), name),
      purpose: 'classify',
    });
  const configuration = (name: string, client = a) =>
    client.configurations.create({ name, parameters: { product_type: 'classify_v2', rules: RULES } });

  it('adds an uploaded file as an example: 201 PENDING, then READY once the document is parsed', async () => {
    const cfg = await configuration('teach-invoices');
    const file = await upload();
    const answer = await examplesA.add(cfg.id, { file_input: file.id, type: 'invoice' });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body).sort()).toEqual(
      [
        'configuration_id',
        'created_at',
        'error_message',
        'file_input',
        'id',
        'status',
        'type',
        'updated_at',
      ].sort(),
    );
    expect(answer.body).toMatchObject({
      configuration_id: cfg.id,
      type: 'invoice',
      file_input: file.id,
      status: 'PENDING',
      error_message: null,
    });
    expect(answer.body.id).toMatch(/^exm-[0-9a-f-]{36}$/);
    const ready = await examplesA.settled(cfg.id, answer.body.id);
    expect(ready).toMatchObject({
      id: answer.body.id,
      status: 'READY',
      error_message: null,
      type: 'invoice',
    });
  });

  it('takes a finished parse job, READY at once, and a negative example with type null', async () => {
    const cfg = await configuration('teach-negatives');
    const parse = await a.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from(`${RECIPE_TEXT}\nDocument ${++documents}`), 'cake.txt'),
    });
    await a.parsing.waitForCompletion(parse.id, undefined, POLL);
    const example = await examplesA.added(cfg.id, parse.id, null);
    expect(example).toMatchObject({ type: null, file_input: parse.id, status: 'READY' });
  });

  it("reuses the parse of a document the configuration's classify job already read", async () => {
    const cfg = await configuration('teach-cached');
    const file = await upload();
    const job = await a.classify.run({ file_input: file.id, configuration_id: cfg.id }, POLL);
    expect(job.status).toBe('COMPLETED');
    const example = await examplesA.added(cfg.id, file.id, 'invoice');
    expect(example.status).toBe('READY');
  });

  it('fails an example whose document cannot be parsed, saying why', async () => {
    const cfg = await configuration('teach-broken');
    const file = await a.files.create({
      file: await toFile(Buffer.from(encryptedPdf(`Locked ${++documents}`)), 'locked.pdf'),
      purpose: 'classify',
    });
    const example = await examplesA.added(cfg.id, file.id, 'contract');
    const failed = await examplesA.settled(cfg.id, example.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error_message).toMatch(/^The document could not be parsed: .*(password|encrypted)/i);
  });

  it('refuses, naming the field: a type that is no rule, an unknown or foreign file, a foreign or parse_v2 configuration', async () => {
    const cfg = await configuration('teach-refusals');
    const file = await upload();
    const loc = (answer: { body: unknown }) => (answer.body as Detail).detail.map((d) => d.loc);

    const wrongType = await examplesA.add(cfg.id, { file_input: file.id, type: 'menu' });
    expect(wrongType.status).toBe(422);
    expect(loc(wrongType)).toEqual([['body', 'type']]);
    expect((wrongType.body as unknown as Detail).detail[0]?.msg).toMatch(
      /"menu" is not one of the configuration's rule types/,
    );

    const missingType = await examplesA.add(cfg.id, { file_input: file.id });
    expect([missingType.status, loc(missingType)]).toEqual([422, [['body', 'type']]]);

    const unknownFile = await examplesA.add(cfg.id, {
      file_input: 'dfl-00000000-0000-4000-8000-000000000000',
      type: 'invoice',
    });
    expect([unknownFile.status, loc(unknownFile)]).toEqual([422, [['body', 'file_input']]]);

    const foreignFile = await upload(b);
    const foreign = await examplesA.add(cfg.id, { file_input: foreignFile.id, type: 'invoice' });
    expect([foreign.status, loc(foreign)]).toEqual([422, [['body', 'file_input']]]);

    const notAnId = await examplesA.add(cfg.id, { file_input: 'https://example.com/a.pdf', type: 'invoice' });
    expect([notAnId.status, loc(notAnId)]).toEqual([422, [['body', 'file_input']]]);

    const otherProject = await examplesB.add(cfg.id, { file_input: foreignFile.id, type: 'invoice' });
    expect(otherProject.status).toBe(404);
    expect(otherProject.body).toEqual({ detail: `Configuration ${cfg.id} not found` });
    expect((await examplesB.list(cfg.id)).status).toBe(404);

    const parsePreset = await a.configurations.create({
      name: 'teach-parse-preset',
      parameters: { product_type: 'parse_v2', tier: 'fast', version: 'latest' },
    });
    const wrongProduct = await examplesA.add(parsePreset.id, { file_input: file.id, type: 'invoice' });
    expect([wrongProduct.status, loc(wrongProduct)]).toEqual([422, [['path', 'configuration_id']]]);

    // None of the refused requests left an example behind.
    expect((await examplesA.list(cfg.id)).body.total_size).toBe(0);
  });

  it('refuses an example over MAX_EXAMPLES_PER_CONFIGURATION with 409', async () => {
    const cfg = await configuration('teach-limit');
    for (let i = 0; i < MAX_EXAMPLES; i++) await examplesA.added(cfg.id, (await upload()).id, 'invoice');
    const over = await examplesA.add(cfg.id, { file_input: (await upload()).id, type: 'invoice' });
    expect(over.status).toBe(409);
    expect((over.body as unknown as { detail: string }).detail).toMatch(
      new RegExp(`already has ${MAX_EXAMPLES} examples.*MAX_EXAMPLES_PER_CONFIGURATION`),
    );
    // Room again once one goes.
    const first = (await examplesA.list(cfg.id)).body.items[0];
    expect((await examplesA.delete(cfg.id, first?.id as string)).status).toBe(204);
    expect((await examplesA.add(cfg.id, { file_input: (await upload()).id, type: 'recipe' })).status).toBe(
      201,
    );
  });

  it('lists newest first by page, filters by type and status, gets and deletes', async () => {
    const cfg = await configuration('teach-list');
    const invoice = await examplesA.added(cfg.id, (await upload()).id, 'invoice');
    const negative = await examplesA.added(cfg.id, (await upload(a, RECIPE_TEXT, 'cake.txt')).id, null);
    const broken = await examplesA.added(
      cfg.id,
      (
        await a.files.create({
          file: await toFile(Buffer.from(encryptedPdf(`Locked ${++documents}`)), 'locked.pdf'),
          purpose: 'classify',
        })
      ).id,
      'contract',
    );
    await examplesA.settled(cfg.id, invoice.id);
    await examplesA.settled(cfg.id, negative.id);
    await examplesA.settled(cfg.id, broken.id);

    const first = await examplesA.list(cfg.id, 'page_size=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((e) => e.id)).toEqual([broken.id, negative.id]);
    expect(first.body.total_size).toBe(3);
    const second = await examplesA.list(cfg.id, `page_size=2&page_token=${first.body.next_page_token}`);
    expect(second.body.items.map((e) => e.id)).toEqual([invoice.id]);
    expect(second.body.next_page_token).toBeNull();

    const ids = async (query: string) => (await examplesA.list(cfg.id, query)).body.items.map((e) => e.id);
    expect(await ids('type=invoice')).toEqual([invoice.id]);
    expect(await ids('type=')).toEqual([negative.id]);
    expect(await ids('status=READY')).toEqual([negative.id, invoice.id]);
    expect(await ids('status=FAILED&type=contract')).toEqual([broken.id]);
    expect(await ids('status=PENDING')).toEqual([]);
    const badStatus = await examplesA.list(cfg.id, 'status=DONE');
    expect([badStatus.status, (badStatus.body as unknown as Detail).detail[0]?.loc]).toEqual([
      422,
      ['query', 'status'],
    ]);

    const got = await examplesA.get(cfg.id, invoice.id);
    expect(got.body).toMatchObject({
      id: invoice.id,
      status: 'READY',
      type: 'invoice',
      file_input: invoice.file_input,
    });
    expect((await examplesB.get(cfg.id, invoice.id)).status).toBe(404);
    expect((await examplesB.delete(cfg.id, invoice.id)).status).toBe(404);

    expect((await examplesA.delete(cfg.id, invoice.id)).status).toBe(204);
    expect((await examplesA.get(cfg.id, invoice.id)).status).toBe(404);
    expect((await examplesA.delete(cfg.id, invoice.id)).status).toBe(404);
    expect(await ids('')).toEqual([broken.id, negative.id]);
  });

  it('deletes the examples with their configuration', async () => {
    const cfg = await configuration('teach-doomed');
    const example = await examplesA.added(cfg.id, (await upload()).id, 'invoice');
    await examplesA.settled(cfg.id, example.id);
    await a.configurations.delete(cfg.id);
    expect((await examplesA.get(cfg.id, example.id)).status).toBe(404);
    const redis = new Redis(inject('redisUrl'));
    try {
      expect(
        await redis.exists(`${stack.prefix}:s:exm:${example.id}`, `${stack.prefix}:s:exmtext:${example.id}`),
      ).toBe(0);
    } finally {
      redis.disconnect();
    }
    // A configuration saved again under the name starts with no examples.
    const again = await configuration('teach-doomed');
    expect(again.id).not.toBe(cfg.id);
    expect((await examplesA.list(again.id)).body.total_size).toBe(0);
  });

  it('keeps an example after its file is deleted', async () => {
    const cfg = await configuration('teach-keep');
    const file = await upload();
    const example = await examplesA.added(cfg.id, file.id, 'invoice');
    await examplesA.settled(cfg.id, example.id);
    await a.files.delete(file.id);
    expect((await examplesA.get(cfg.id, example.id)).body).toMatchObject({
      status: 'READY',
      file_input: file.id,
    });
  });

  it('corrects a finished job: its document becomes an example, and correcting again replaces it', async () => {
    const cfg = await configuration('teach-corrections');
    const file = await upload(a, RECIPE_TEXT, 'cake.txt');
    const job = await a.classify.run({ file_input: file.id, configuration_id: cfg.id }, POLL);
    expect(job.status).toBe('COMPLETED');
    expect((job as unknown as { correction: unknown }).correction).toBeNull();

    const corrected = await examplesA.correct(job.id, { type: 'invoice' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({
      id: job.id,
      status: 'COMPLETED',
      correction: { type: 'invoice' },
    });
    expect(Object.keys(corrected.body.correction as object).sort()).toEqual(['created_at', 'type']);
    const listed = (await examplesA.list(cfg.id)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ type: 'invoice', status: 'READY', file_input: job.parse_job_id });

    const again = await examplesA.correct(job.id, { type: null });
    expect(again.body).toMatchObject({ correction: { type: null } });
    const replaced = (await examplesA.list(cfg.id)).body.items;
    expect(replaced.map((e) => [e.type, e.status])).toEqual([[null, 'READY']]);
    expect((await examplesA.get(cfg.id, listed[0]?.id as string)).status).toBe(404);
    // The job's own JSON shows the correction from now on.
    const read = (await a.classify.get(job.id)) as unknown as { correction: { type: string | null } };
    expect(read.correction.type).toBeNull();
  });

  it("corrects from the job's file once its parse text is gone, and says so when neither is kept", async () => {
    const cfg = await configuration('teach-fallback');
    const file = await upload();
    const job = await a.classify.run({ file_input: file.id, configuration_id: cfg.id }, POLL);
    await a.parsing.delete(job.parse_job_id as string);
    const fromFile = await examplesA.correct(job.id, { type: 'invoice' });
    expect(fromFile.status).toBe(200);
    const [example] = (await examplesA.list(cfg.id)).body.items;
    expect(example?.file_input).toBe(file.id);
    expect((await examplesA.settled(cfg.id, example?.id as string)).status).toBe('READY');

    const lost = await upload();
    const lostJob = await a.classify.run({ file_input: lost.id, configuration_id: cfg.id }, POLL);
    await a.parsing.delete(lostJob.parse_job_id as string);
    await a.files.delete(lost.id);
    const gone = await examplesA.correct(lostJob.id, { type: 'invoice' });
    expect(gone.status).toBe(409);
    expect(gone.body.detail).toMatch(/no longer kept/);
    expect((await examplesA.list(cfg.id)).body.total_size).toBe(1);
  });

  it('hands a job naming the configuration its READY examples, and an inline job none', async () => {
    const cfg = await configuration('teach-handed');
    const example = await examplesA.added(cfg.id, (await upload()).id, 'invoice');
    await examplesA.settled(cfg.id, example.id);
    const saved = await a.classify.run({ file_input: (await upload()).id, configuration_id: cfg.id }, POLL);
    const inline = await a.classify.run(
      { file_input: (await upload()).id, configuration: { rules: RULES } },
      POLL,
    );
    // The classify worker logs, for each job, how many examples its classifier was given.
    const log = stack.apps.find((app) => app.name === 'classify-worker')?.output() ?? '';
    const examplesOf = (jobId: string) =>
      log
        .split('\n')
        .filter((line) => line.includes(jobId) && line.includes('"classified"'))
        .map((line) => JSON.parse(line).examples);
    expect(examplesOf(saved.id)).toEqual([1]);
    expect(examplesOf(inline.id)).toEqual([0]);
  });

  it('refuses corrections a job cannot take: not COMPLETED (409), inline configuration or foreign type (422), unknown (404)', async () => {
    const cfg = await configuration('teach-bad-corrections');
    const locked = await a.files.create({
      file: await toFile(Buffer.from(encryptedPdf(`Locked ${++documents}`)), 'locked.pdf'),
      purpose: 'classify',
    });
    const failed = await a.classify.create({ file_input: locked.id, configuration_id: cfg.id });
    await expect
      .poll(async () => (await a.classify.get(failed.id)).status, { timeout: 45_000, interval: 100 })
      .toBe('FAILED');
    const notDone = await examplesA.correct(failed.id, { type: 'invoice' });
    expect(notDone.status).toBe(409);
    expect(notDone.body.detail).toMatch(/is FAILED; only a COMPLETED job can be corrected/);

    const inline = await a.classify.run(
      { file_input: (await upload()).id, configuration: { rules: RULES } },
      POLL,
    );
    const noConfiguration = await examplesA.correct(inline.id, { type: 'invoice' });
    expect(noConfiguration.status).toBe(422);
    const [issue] = (noConfiguration.body as unknown as Detail).detail;
    expect(issue?.loc).toEqual(['path', 'job_id']);
    expect(issue?.msg).toMatch(/has no configuration_id/);

    const done = await a.classify.run({ file_input: (await upload()).id, configuration_id: cfg.id }, POLL);
    const wrongType = await examplesA.correct(done.id, { type: 'menu' });
    expect([wrongType.status, (wrongType.body as unknown as Detail).detail[0]?.loc]).toEqual([
      422,
      ['body', 'type'],
    ]);
    expect((await examplesB.correct(done.id, { type: 'invoice' })).status).toBe(404);
    expect((await examplesA.correct('clj-00000000-0000-4000-8000-000000000000', { type: null })).status).toBe(
      404,
    );
    expect((await examplesA.list(cfg.id)).body.total_size).toBe(0);
    expect(((await a.classify.get(done.id)) as unknown as { correction: unknown }).correction).toBeNull();
  });

  it('documents the routes in /openapi.json', async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as OpenApiDoc;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/beta/configurations/{configuration_id}/examples',
        '/api/v1/beta/configurations/{configuration_id}/examples/{example_id}',
        '/api/v2/classify/{job_id}/correction',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/beta/configurations/{configuration_id}/examples'])).toEqual([
      'post',
      'get',
    ]);
    expect(doc.components.schemas.Example.properties.status.enum).toEqual(['PENDING', 'READY', 'FAILED']);
    expect(doc.components.schemas.ClassifyJob.properties).toHaveProperty('correction');
  });
});
