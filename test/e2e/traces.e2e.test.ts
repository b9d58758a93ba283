import { randomBytes } from 'node:crypto';
import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';
import { type CollectedSpan, type OtlpCollector, startOtlpCollector } from './otlp-collector.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

describe('one trace per classify job, from the request through both stages and its webhooks', () => {
  let stack: ServiceStack;
  let collector: OtlpCollector;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    hooks = await startWebhookReceiver();
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'traces',
      // Spans leave each process a tenth of a second after they end, not after the default 5 s.
      env: { API_KEYS, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    collector?.close();
    hooks?.close();
  });

  /** The spans of a trace once `ready` says all have arrived (each process sends its own). */
  async function traceOf(traceId: string, ready: (spans: CollectedSpan[]) => boolean) {
    const spans = () => collector.spans.filter((s) => s.traceId === traceId);
    for (let i = 0; i < 100 && !ready(spans()); i++) await new Promise((r) => setTimeout(r, 100));
    return spans();
  }

  const complete = (spans: CollectedSpan[]) =>
    ['classifyd-api', 'classifyd-parse-worker', 'classifyd-classify-worker'].every((service) =>
      spans.some((s) => s.service === service),
    ) && spans.filter((s) => s.name.startsWith('webhook ')).length >= 3;

  it("continues the caller's traceparent across the API, the parse worker and the classify worker", async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'traced.txt'),
      purpose: 'classify',
    });
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const created = await a.classify.create(
      {
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configurations: [{ webhook_url: hooks.url, webhook_output_format: 'json' }],
      },
      { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } },
    );
    const done = await a.classify.waitForCompletion(created.id, undefined, POLL);
    expect(done.status).toBe('COMPLETED');

    const spans = await traceOf(callerTrace, complete);
    const create = spans.find((s) => s.service === 'classifyd-api' && s.kind === SERVER);
    expect(create).toMatchObject({
      name: 'POST /api/v2/classify',
      parentSpanId: callerSpan,
      attributes: { 'classifyd.job_id': created.id, 'http.response.status_code': 200 },
    });
    const parse = spans.find((s) => s.service === 'classifyd-parse-worker');
    expect(parse).toMatchObject({
      name: 'parse',
      kind: CONSUMER,
      parentSpanId: create?.spanId,
      attributes: {
        'classifyd.job_id': done.parse_job_id,
        'classifyd.outcome': 'completed',
        'classifyd.pages': 1,
      },
    });
    const classify = spans.filter((s) => s.service === 'classifyd-classify-worker' && s.name === 'classify');
    expect(classify.length).toBeGreaterThan(0);
    for (const span of classify) expect(span.parentSpanId).toBe(create?.spanId);
    expect(classify.at(-1)?.attributes).toMatchObject({
      'classifyd.job_id': created.id,
      'classifyd.outcome': 'completed',
    });

    // Each webhook delivery is a client span of the same trace, and the receiver may continue it.
    const webhooks = spans.filter((s) => s.name.startsWith('webhook '));
    expect(webhooks.map((s) => s.name).sort()).toEqual([
      'webhook classify.pending',
      'webhook classify.running',
      'webhook classify.success',
    ]);
    for (const span of webhooks) {
      expect(span).toMatchObject({ kind: CLIENT, parentSpanId: create?.spanId });
      expect(span.attributes).toMatchObject({
        'server.address': '127.0.0.1',
        'http.response.status_code': 200,
      });
    }
    const delivered = hooks.headers.filter((_, i) => hooks.events[i]?.data.id === created.id);
    expect(delivered).toHaveLength(3);
    for (const headers of delivered)
      expect(headers.traceparent).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));

    // Ids and counts only: neither the document's text nor an API key reaches a span.
    const exported = JSON.stringify(spans);
    expect(exported).not.toContain('INVOICE');
    expect(exported).not.toContain('key-a');
  });

  it('starts a trace of its own for a job whose request came without one', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(`${INVOICE_TEXT}\nUntraced copy`), 'untraced.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
    expect(done.status).toBe('COMPLETED');
    const create = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = collector.spans.find(
          (s) => s.kind === SERVER && s.attributes['classifyd.job_id'] === done.id,
        );
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no span of the request that made ${done.id}`);
    })();
    expect(create.parentSpanId).toBe('');
    const spans = await traceOf(create.traceId, (s) =>
      s.some((x) => x.name === 'classify' && x.attributes['classifyd.outcome'] === 'completed'),
    );
    expect(new Set(spans.map((s) => s.service))).toEqual(
      new Set(['classifyd-api', 'classifyd-parse-worker', 'classifyd-classify-worker']),
    );
    // This job's request and stages only: one trace per job.
    expect(spans.filter((s) => s.kind === SERVER)).toHaveLength(1);
    expect(new Set(spans.map((s) => s.attributes['classifyd.job_id']))).toEqual(
      new Set([done.id, done.parse_job_id]),
    );
  });

  it('traces a parse job of the parse API from its upload through the parse worker', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const callerTrace = randomBytes(16).toString('hex');
    const job = await a.parsing.create(
      {
        tier: 'fast',
        version: 'latest',
        upload_file: await toFile(Buffer.from('Parsed under a trace'), 'p.txt'),
      },
      { headers: { traceparent: `00-${callerTrace}-${randomBytes(8).toString('hex')}-01` } },
    );
    expect((await a.parsing.waitForCompletion(job.id, undefined, POLL)).job.status).toBe('COMPLETED');
    const spans = await traceOf(callerTrace, (s) => s.some((x) => x.name === 'parse'));
    const upload = spans.find((s) => s.kind === SERVER);
    expect(upload).toMatchObject({
      name: 'POST /api/v2/parse/upload',
      attributes: { 'classifyd.job_id': job.id },
    });
    expect(spans.find((s) => s.name === 'parse')).toMatchObject({
      service: 'classifyd-parse-worker',
      parentSpanId: upload?.spanId,
      attributes: { 'classifyd.job_id': job.id, 'classifyd.outcome': 'completed' },
    });
  });
});
