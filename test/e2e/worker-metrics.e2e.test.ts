import { freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const TOKEN = 'metrics-token-for-the-e2e-test';

/** Sum of a metric's samples whose labels include `labels`, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      sum += Number(match[3]);
      seen = true;
    }
  }
  if (!seen) throw new Error(`no ${name} ${JSON.stringify(labels)} sample in:\n${text.slice(0, 2000)}`);
  return sum;
}

describe('metrics of every app, behind METRICS_AUTH', () => {
  let stack: ServiceStack;
  const ports = { parse: 0, classify: 0 };

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'metrics',
      env: { API_KEYS, METRICS_AUTH: TOKEN },
      workers: [],
    });
    ports.parse = await freePort();
    ports.classify = await freePort();
    await stack.startApp('parse-worker', { METRICS_PORT: String(ports.parse) });
    await stack.startApp('classify-worker', { METRICS_PORT: String(ports.classify) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const scrape = async (url: string) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('counts and times the stages of real jobs in each worker, and refuses a scrape without the token', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    for (const [i, text] of [INVOICE_TEXT, `${INVOICE_TEXT}\nSecond copy`].entries()) {
      const file = await a.files.create({
        file: await toFile(Buffer.from(text), `m-${i}.txt`),
        purpose: 'classify',
      });
      const done = await a.classify.run({ file_input: file.id, configuration: { rules: RULES } }, POLL);
      expect(done.status).toBe('COMPLETED');
    }
    const parseUrl = `http://127.0.0.1:${ports.parse}/metrics`;
    const classifyUrl = `http://127.0.0.1:${ports.classify}/metrics`;
    for (const url of [parseUrl, classifyUrl, `${stack.baseUrl}/metrics`])
      expect((await fetch(url)).status, url).toBe(401);

    const parse = await scrape(parseUrl);
    expect(sample(parse, 'classifyd_stage_jobs_total', { stage: 'parse', outcome: 'completed' })).toBe(2);
    expect(sample(parse, 'classifyd_stage_queue_seconds_count', { stage: 'parse' })).toBe(2);
    expect(sample(parse, 'classifyd_stage_seconds_count', { stage: 'parse', outcome: 'completed' })).toBe(2);
    expect(sample(parse, 'classifyd_parse_pages_total', { kind: 'read' })).toBe(2);
    expect(sample(parse, 'classifyd_redis_roundtrip_seconds')).toBeGreaterThan(0);

    // The classify stage's BullMQ job completes just after the answer the client saw.
    let classify = await scrape(classifyUrl);
    for (
      let i = 0;
      i < 50 && sample(classify, 'classifyd_stage_jobs_total', { stage: 'classify' }) < 2;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      classify = await scrape(classifyUrl);
    }
    expect(sample(classify, 'classifyd_stage_jobs_total', { stage: 'classify', outcome: 'completed' })).toBe(
      2,
    );
    expect(sample(classify, 'classifyd_classify_seconds_count')).toBe(2);
    expect(sample(classify, 'classifyd_classify_confidence_count')).toBe(2);
    expect(classify).not.toMatch(/INVOICE|Second copy/);

    const api = await scrape(`${stack.baseUrl}/metrics`);
    expect(sample(api, 'classifyd_http_requests_total', { route: '/api/v2/classify', method: 'POST' })).toBe(
      2,
    );
  });
});
