import { fileURLToPath } from 'node:url';
import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, runToExit, sdk, statusError } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const MAX_UPLOAD = 200_000;

// The SDK's FileCreateResponse omits file_size, which the service returns.
type CreatedFile = LlamaCloud.FileCreateResponse & { file_size: number };

/** The parts of /openapi.json these tests read. */
interface OpenApiDoc {
  openapi: string;
  info: { description: string };
  paths: Record<string, unknown>;
  components: { schemas: { ClassifyConfigurationInput: { properties: { rules: unknown } } } };
}

describe('operating the API', () => {
  let stack: ServiceStack;
  let a: ReturnType<typeof sdk>;
  const auth = { authorization: 'Bearer key-a' };

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'ops',
      env: {
        API_KEYS,
        DASHBOARD_AUTH: 'admin:s3cret',
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
        ALLOW_PRIVATE_URLS: 'false',
      },
      workers: [],
    });
    a = sdk(stack.baseUrl, 'key-a');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers liveness and readiness', async () => {
    expect(await (await fetch(`${stack.baseUrl}/health`)).json()).toEqual({ status: 'ok' });
    const ready = (await (await fetch(`${stack.baseUrl}/ready`)).json()) as {
      status: string;
      queues: Record<string, unknown>;
    };
    expect(ready.status).toBe('ready');
    expect(Object.keys(ready.queues)).toEqual(expect.arrayContaining(['parse', 'classify', 'webhook']));
  });

  it('serves an OpenAPI 3.1 document built from the schemas, and a docs page', async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v2/classify', '/api/v2/classify/{job_id}/cancel', '/api/v1/beta/files']),
    );
    const rules = doc.components.schemas.ClassifyConfigurationInput.properties.rules;
    expect(rules).toMatchObject({ minItems: 1, maxItems: 50 });
    // A webhook receiver learns from the contract that a second delivery can come, and how to spot it.
    expect(doc.info.description).toMatch(/at least once.*same event_id/s);
    expect(JSON.stringify(doc.paths)).toMatch(/delivered at least once/);
    const page = await fetch(`${stack.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    expect((await fetch(`${stack.baseUrl}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('keeps Bull Board behind its own login', async () => {
    expect((await fetch(`${stack.baseUrl}/admin/queues`)).status).toBe(401);
    const wrong = Buffer.from('admin:nope').toString('base64');
    expect(
      (await fetch(`${stack.baseUrl}/admin/queues`, { headers: { authorization: `Basic ${wrong}` } })).status,
    ).toBe(401);
    const right = { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
    expect((await fetch(`${stack.baseUrl}/admin/queues`, { headers: right })).status).toBe(200);
    const board = await fetch(`${stack.baseUrl}/admin/queues/api/queues`, { headers: right });
    const queues = (await board.json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(['parse', 'classify']),
    );
    // An API key is not a dashboard login.
    expect((await fetch(`${stack.baseUrl}/admin/queues`, { headers: auth })).status).toBe(401);
  });

  it('exports Prometheus metrics', async () => {
    await fetch(`${stack.baseUrl}/api/v2/classify`, { headers: auth });
    const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(text).toMatch(
      /classifyd_http_requests_total\{method="GET",route="\/api\/v2\/classify",status="200"\} \d+/,
    );
    expect(text).toMatch(/classifyd_queue_jobs\{queue="parse",state="waiting"\} \d+/);
  });

  it('refuses an upload over MAX_UPLOAD_BYTES with 413 and keeps serving', async () => {
    const big = Buffer.alloc(MAX_UPLOAD + 10_000, 'a');
    const { status, body } = await statusError(
      a.files.create({ file: await toFile(big, 'big.txt'), purpose: 'classify' }),
    );
    expect(status).toBe(413);
    expect((body as { detail: string }).detail).toMatch(/larger than/);
    const listed = await a.files.list({});
    expect(listed.items.map((f) => f.name)).not.toContain('big.txt');
    const ok = (await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'small.txt'),
      purpose: 'classify',
    })) as CreatedFile;
    expect(ok.file_size).toBe(Buffer.byteLength(INVOICE_TEXT));
  });

  it('rejects an unknown purpose and a missing file with 422', async () => {
    const bad = await statusError(
      a.files.create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'nonsense' }),
    );
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual(['body', 'purpose']);
    const form = new FormData();
    form.set('purpose', 'classify');
    const missing = await fetch(`${stack.baseUrl}/api/v1/beta/files`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(missing.status).toBe(422);
  });

  it('lists, downloads through a signed URL, and deletes files; the legacy upload works too', async () => {
    const legacyForm = new FormData();
    legacyForm.set('upload_file', new Blob([INVOICE_TEXT]), 'legacy.txt');
    const legacy = await fetch(`${stack.baseUrl}/api/v1/files`, {
      method: 'POST',
      headers: auth,
      body: legacyForm,
    });
    expect(legacy.status).toBe(200);
    const legacyFile = (await legacy.json()) as { id: string };
    expect(legacyFile.id).toMatch(/^dfl-/);

    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'dl.txt'),
      purpose: 'classify',
      external_file_id: 'ext-1',
    });
    expect((await a.files.list({ external_file_id: 'ext-1' })).items.map((f) => f.id)).toEqual([file.id]);
    expect((await a.files.list({ file_name: 'legacy.txt' })).items.map((f) => f.id)).toEqual([legacyFile.id]);
    const link = await a.files.content(file.id);
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now());
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(INVOICE_TEXT);
    const tampered = await fetch(link.url.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 60}`));
    expect(tampered.status).toBe(403);
    // A proxy header naming another scheme does not become a link to it.
    const forged = await fetch(`${stack.baseUrl}/api/v1/beta/files/${file.id}/content`, {
      headers: { ...auth, 'x-forwarded-proto': 'javascript' },
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { detail: string }).detail).toMatch(/PUBLIC_BASE_URL/);
    await a.files.delete(file.id);
    expect((await statusError(a.files.retrieve(file.id))).status).toBe(404);
    expect((await fetch(link.url)).status).toBe(404);
  });

  it('lists files by name or id ascending, or newest first, and refuses any other order', async () => {
    const b = sdk(stack.baseUrl, 'key-b');
    const made = [];
    for (const name of ['c.txt', 'a.txt', 'é.txt', 'b.txt', 'a.txt']) {
      made.push(await b.files.create({ file: await toFile(Buffer.from(name), name), purpose: 'classify' }));
    }
    const names = async (order_by?: string) => {
      const seen = [];
      for await (const file of b.files.list({ page_size: 2, ...(order_by ? { order_by } : {}) }))
        seen.push(file);
      return seen;
    };
    const twoA = made
      .filter((f) => f.name === 'a.txt')
      .map((f) => f.id)
      .sort();
    expect((await names('name')).map((f) => f.id)).toEqual([...twoA, made[3]?.id, made[0]?.id, made[2]?.id]);
    expect((await names('id')).map((f) => f.id)).toEqual(made.map((f) => f.id).sort());
    expect((await names()).map((f) => f.id)).toEqual(made.map((f) => f.id).reverse());
    expect((await names('created_at')).map((f) => f.id)).toEqual(made.map((f) => f.id).reverse());
    await b.files.delete(made[1]?.id as string);
    for (const order of ['name', 'id', 'created_at']) {
      expect((await names(order)).map((f) => f.id)).not.toContain(made[1]?.id);
    }
    const sized = await statusError(b.files.list({ order_by: 'size desc' }));
    expect(sized.status).toBe(422);
    expect((sized.body as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(['query', 'order_by']);
  });

  it('refuses a webhook to a private or local address at create, instead of dropping it later', async () => {
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'hooked.txt'),
      purpose: 'classify',
    });
    const create = (webhook_url: string) =>
      a.classify.create({
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url, webhook_events: ['classify.success'] }],
      });
    for (const url of ['http://127.0.0.1:9/hook', 'http://[::ffff:7f00:1]/hook', 'http://localhost/hook']) {
      const refused = await statusError(create(url));
      expect(refused.status).toBe(422);
      const detail = (refused.body as { detail: { loc: unknown[]; msg: string }[] }).detail[0];
      expect(detail?.loc).toEqual(['body', 'webhook_configurations', 0, 'webhook_url']);
      expect(detail?.msg).toMatch(/private or local address/);
    }
    // A name that does not resolve now may later: delivery retries it.
    expect((await create('https://hooks.example.invalid/x')).status).toBe('PENDING');
  });

  it('refuses to start in production without API keys, naming the setting', async () => {
    const main = fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url));
    const { code, output } = await runToExit(main, {
      ...process.env,
      ...stack.env,
      API_KEYS: '',
      NODE_ENV: 'production',
      PORT: '0',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('API_KEYS is required');
  });

  it('stops with a message naming a bad setting', async () => {
    const main = fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url));
    const { code, output } = await runToExit(main, { ...process.env, ...stack.env, PORT: 'eighty' });
    expect(code).not.toBe(0);
    expect(output).toContain('PORT');
  });

  it('says how to get Redis when none answers, without printing the password in REDIS_URL', async () => {
    const start = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
    // A non-local address: the quick start only starts a private Redis on this machine.
    const { code, output } = await runToExit(start, {
      ...process.env,
      REDIS_URL: 'redis://:hunter2@192.0.2.1:6390',
    });
    expect(code).toBe(1);
    expect(output).toContain('Nothing answers at REDIS_URL=redis://:***@192.0.2.1:6390');
    expect(output).toMatch(/Start Redis 7/);
    expect(output).not.toContain('hunter2');
  });
});
