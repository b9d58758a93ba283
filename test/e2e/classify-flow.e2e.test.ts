import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, deleteJob, POLL, PROJECT_A, sdk, statusError } from './clients.js';
import { CONTRACT_PAGES, GERMAN_INVOICE_TEXT, INVOICE_TEXT, RECIPE_TEXT, RULES } from './documents.js';

describe('classify end to end through the official SDK', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  let b: ReturnType<typeof sdk>;

  beforeAll(async () => {
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'flow', env: { API_KEYS } });
    a = sdk(stack.baseUrl, 'key-a');
    b = sdk(stack.baseUrl, 'key-b');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('classifies an uploaded text invoice: PENDING, then COMPLETED with the invoice rule', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'march.txt'),
      purpose: 'classify',
    });
    expect(file.id).toMatch(/^dfl-[0-9a-f-]{36}$/);
    expect(file.project_id).toBe(PROJECT_A);
    const created = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    expect(created.status).toBe('PENDING');
    expect(created.id).toMatch(/^clj-/);
    expect(created.result).toBeNull();
    const done = await a.classify.waitForCompletion(created.id, undefined, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    expect(done.result?.confidence).toBeGreaterThan(0);
    expect(done.result?.confidence).toBeLessThanOrEqual(1);
    expect(done.result?.reasoning.length).toBeGreaterThan(10);
    expect(done.document_input_type).toBe('file_id');
    expect(done.parse_job_id).toMatch(/^pjb-/);
  });

  it('classifies a German invoice against English rules when the request names no language', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(GERMAN_INVOICE_TEXT), 'rechnung.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
    // "Rechnungsnummer" was read as "invoice": the language was told from the text, not taken
    // to be the default "en".
    expect(done.result?.reasoning).toContain('"invoice"');
  });

  it('classifies a multi-page PDF, and reads only the pages selected', async () => {
    const pdf = await makeTextPdf(CONTRACT_PAGES);
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'agreement.pdf'),
      purpose: 'classify',
    });
    const whole = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(whole.status).toBe('COMPLETED');
    expect(whole.result?.type).toBe('contract');
    const pageTwo = await a.classify.run(
      {
        file_input: file.id,
        configuration: { rules: RULES, parsing_configuration: { target_pages: '2', max_pages: 1 } },
      },
      POLL,
    );
    expect(pageTwo.status).toBe('COMPLETED');
    // A different page selection is a different parse.
    expect(pageTwo.parse_job_id).not.toBe(whole.parse_job_id);
  });

  it('classifies a recipe with a saved configuration, resolved inline in every response', async () => {
    const saved = await a.configurations.create({
      name: 'kitchen',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    expect(saved.id).toMatch(/^cfg-/);
    const file = await a.files.create({
      file: await toFile(Buffer.from(RECIPE_TEXT), 'cake.md'),
      purpose: 'classify',
    });
    const created = await a.classify.create({ file_input: file.id, configuration_id: saved.id });
    expect(created.configuration_id).toBe(saved.id);
    expect(created.configuration.rules).toEqual(RULES);
    const done = await a.classify.waitForCompletion(created.id, undefined, POLL);
    expect(done.result?.type).toBe('recipe');
    expect(done.configuration.rules.map((r) => r.type)).toEqual(RULES.map((r) => r.type));
    const upserted = await a.configurations.create({
      name: 'kitchen',
      parameters: { product_type: 'classify_v2', rules: RULES.slice(0, 2) },
    });
    expect(upserted.id).toBe(saved.id);
    expect((await a.configurations.retrieve(saved.id)).parameters).toMatchObject({
      rules: RULES.slice(0, 2),
    });
  });

  it('answers a null type when no rule fits', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(RECIPE_TEXT), 'cake.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run(
      {
        file_input: file.id,
        configuration: {
          rules: [
            {
              type: 'tax_form',
              description:
                'A government tax return form with boxes for income, deductions and a taxpayer identification number.',
            },
            {
              type: 'resume',
              description:
                'A CV listing a candidate employment history, education, skills and contact details.',
            },
          ],
        },
      },
      POLL,
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBeNull();
  });

  it('returns the original job for a reused transaction_id, even under 20 concurrent creates', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const first = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES },
      transaction_id: 'tx-once',
    });
    const again = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES.slice(0, 1) },
      transaction_id: 'tx-once',
    });
    expect(again.id).toBe(first.id);
    expect(again.configuration.rules).toEqual(RULES);
    const racing = await Promise.all(
      Array.from({ length: 20 }, () =>
        a.classify.create({
          file_input: file.id,
          configuration: { rules: RULES },
          transaction_id: 'tx-race',
        }),
      ),
    );
    expect(new Set(racing.map((j) => j.id)).size).toBe(1);
    const listed = await a.classify.list({ job_ids: [racing[0]?.id as string], page_size: 10 });
    expect(listed.items).toHaveLength(1);
    // Another project may use the same key for its own job.
    const other = await b.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const theirs = await b.classify.create({
      file_input: other.id,
      configuration: { rules: RULES },
      transaction_id: 'tx-race',
    });
    expect(theirs.id).not.toBe(racing[0]?.id);
    // A retry after the file and saved configuration are gone still gets the original job.
    const saved = await a.configurations.create({
      name: 'retried',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const gone = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'gone.txt'),
      purpose: 'classify',
    });
    const retried = { file_input: gone.id, configuration_id: saved.id, transaction_id: 'tx-retry' };
    const kept = await a.classify.run(retried, POLL);
    await a.files.delete(gone.id);
    await a.configurations.delete(saved.id);
    const retry = await a.classify.create(retried);
    expect(retry.id).toBe(kept.id);
    expect(retry.status).toBe('COMPLETED');
  });

  it('names the offending field in 422 bodies', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'x.txt'),
      purpose: 'classify',
    });
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ file_input: file.id, configuration: { rules: [] } }, ['body', 'configuration', 'rules']],
      [
        { file_input: file.id, configuration: { rules: [{ type: 'x', description: 'too short' }] } },
        ['body', 'configuration', 'rules', 0, 'description'],
      ],
      [
        {
          file_input: file.id,
          configuration: { rules: RULES, parsing_configuration: { target_pages: '3-1' } },
        },
        ['body', 'configuration', 'parsing_configuration', 'target_pages'],
      ],
      [{ file_input: 'not-an-id', configuration: { rules: RULES } }, ['body', 'file_input']],
      [{ file_input: file.id }, ['body', 'configuration']],
    ];
    for (const [body, loc] of cases) {
      const { status, body: error } = await statusError(a.classify.create(body as never));
      expect(status).toBe(422);
      const locs = (error as { detail: { loc: (string | number)[] }[] }).detail.map((d) => d.loc);
      expect(locs).toContainEqual(loc);
    }
    const pageSize = await statusError(a.classify.list({ page_size: 101 }));
    expect(pageSize.status).toBe(422);
    expect((pageSize.body as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual([
      'query',
      'page_size',
    ]);
  });

  it("answers 404, never data, for another project's job, file and configuration", async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'secret.txt'),
      purpose: 'classify',
    });
    const saved = await a.configurations.create({
      name: 'private',
      parameters: { product_type: 'classify_v2', rules: RULES },
    });
    const job = await a.classify.create({ file_input: file.id, configuration_id: saved.id });
    const calls = [
      () => b.classify.get(job.id),
      () => b.classify.cancel(job.id),
      () => b.files.retrieve(file.id),
      () => b.files.content(file.id),
      () => b.configurations.retrieve(saved.id),
      () => b.classify.create({ file_input: file.id, configuration: { rules: RULES } }),
      () => b.classify.create({ file_input: job.parse_job_id as string, configuration: { rules: RULES } }),
      () => b.classify.create({ file_input: file.id, configuration_id: saved.id }),
      () => deleteJob(stack.baseUrl, 'key-b', job.id),
    ];
    for (const call of calls) {
      const { status, body } = await statusError(call());
      expect(status).toBe(404);
      expect(JSON.stringify(body)).not.toContain('secret.txt');
    }
    const theirList = await b.classify.list({ page_size: 100 });
    expect(theirList.items.map((j) => j.id)).not.toContain(job.id);
    expect((await b.files.list({})).items.map((f) => f.id)).not.toContain(file.id);
    const wrongProject = await statusError(
      a.classify.get(job.id, { project_id: '22222222-2222-4222-8222-222222222222' }),
    );
    expect(wrongProject.status).toBe(403);
    const noKey = await statusError(sdk(stack.baseUrl, 'wrong-key').classify.get(job.id));
    expect(noKey.status).toBe(401);
  });

  it('cancels a job, which stays CANCELLED; a finished job cannot be cancelled but can be deleted', async () => {
    const pdf = await makeTextPdf(Array.from({ length: 60 }, (_, i) => CONTRACT_PAGES[i % 3] as string[]));
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'long.pdf'),
      purpose: 'classify',
    });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    const cancelled = await a.classify.cancel(job.id);
    expect(cancelled.status).toBe('CANCELLED');
    const running = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    expect((await statusError(deleteJob(stack.baseUrl, 'key-a', running.id))).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1500));
    const later = await a.classify.get(job.id);
    expect(later.status).toBe('CANCELLED');
    expect(later.result).toBeNull();
    const again = await statusError(a.classify.cancel(job.id));
    expect(again.status).toBe(409);

    const small = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'i.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: small.id, configuration: { rules: RULES } }, POLL);
    expect((await statusError(a.classify.cancel(done.id))).status).toBe(409);
    const deleted = await deleteJob(stack.baseUrl, 'key-a', done.id);
    expect(deleted).toMatchObject({ id: done.id, project_id: PROJECT_A });
    expect((await statusError(a.classify.get(done.id))).status).toBe(404);
    // The 60-page parse of `running` would hold a parse worker through the next tests (the
    // likely cause of a CI run where the next test's job stayed PENDING 45 s): stop it if live.
    const leftover = await a.classify.get(running.id);
    if (leftover.status === 'PENDING' || leftover.status === 'RUNNING') await a.classify.cancel(running.id);
  });

  it('fails a job whose document cannot be read, with a clear error_message', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.alloc(0), 'empty.txt'),
      purpose: 'classify',
    });
    const job = await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    const error = await a.classify.waitForCompletion(job.id, undefined, POLL).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const failed = await a.classify.get(job.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error_message).toMatch(/empty/i);
    expect(failed.result).toBeNull();
  });

  it('fires a signed webhook on each transition: pending, running, success', async () => {
    const received: { event: string; status: string; signature: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const event = JSON.parse(body);
        received.push({
          event: event.event_type,
          status: event.data.status,
          signature: String(req.headers['lc-signature']),
          body,
        });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const file = await a.files.create({
        file: await toFile(Buffer.from(INVOICE_TEXT), 'hook.txt'),
        purpose: 'classify',
      });
      const done = await a.classify.run(
        {
          file_input: file.id,
          configuration: { rules: RULES },
          webhook_configurations: [
            {
              webhook_url: `http://127.0.0.1:${port}/hook`,
              webhook_signing_secret: 'whsec',
              webhook_output_format: 'json',
            },
          ],
        },
        POLL,
      );
      for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received.map((r) => r.event).sort()).toEqual([
        'classify.pending',
        'classify.running',
        'classify.success',
      ]);
      expect(Object.fromEntries(received.map((r) => [r.event, r.status]))).toEqual({
        'classify.pending': 'PENDING',
        'classify.running': 'RUNNING',
        'classify.success': 'COMPLETED',
      });
      for (const r of received) {
        expect(r.signature).toBe(`sha256=${createHmac('sha256', 'whsec').update(r.body).digest('hex')}`);
        expect(JSON.parse(r.body).data.id).toBe(done.id);
      }
    } finally {
      server.close();
    }
  });

  it('stops the parse of a cancelled job: its parse job is cancelled in the store', async () => {
    const pdf = await makeTextPdf(
      Array.from({ length: 300 }, (_, i) => CONTRACT_PAGES[(i + 2) % 3] as string[]),
    );
    const file = await a.files.create({
      file: await toFile(Buffer.from(pdf), 'stop.pdf'),
      purpose: 'classify',
    });
    const job = await a.classify.create({
      file_input: file.id,
      configuration: { rules: RULES, parsing_configuration: { max_pages: 300 } },
    });
    await a.classify.cancel(job.id);
    const redis = new Redis(inject('redisUrl'));
    try {
      const parseStatus = await redis.hget(`${stack.prefix}:s:job:${job.parse_job_id}`, 'status');
      expect(parseStatus).toBe('CANCELLED');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await redis.hget(`${stack.prefix}:s:job:${job.parse_job_id}`, 'status')).toBe('CANCELLED');
      expect(await redis.exists(`${stack.prefix}:s:pages:${job.parse_job_id}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
