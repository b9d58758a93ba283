import { readFileSync } from 'node:fs';
import { freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

const TOKEN = 'metrics-token-for-the-e2e-test';
const INFRA = new URL('../../infra/', import.meta.url);

/** The metric names a PromQL expression reads; throws if it does not parse. */
function metricsIn(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) throw new Error(`PromQL does not parse at ${node.from}: ${expr}`);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(expr.slice(id.from, id.to));
      }
    },
  });
  return names;
}

/** Metric families a scrape exports, with the series names of histograms (_bucket, _sum, _count). */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

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
    expect(sample(api, 'classifyd_queue_workers', { queue: 'parse' })).toBeGreaterThan(0);
    expect(sample(api, 'classifyd_queue_oldest_waiting_seconds', { queue: 'classify' })).toBe(0);
    expect(sample(api, 'classifyd_redis_memory_bytes', { kind: 'used' })).toBeGreaterThan(0);

    // The dashboard and the alert rules parse as PromQL and read only metrics the apps export.
    const all = new Set([...exported(api), ...exported(parse), ...exported(classify)]);
    const dashboard = JSON.parse(
      readFileSync(new URL('grafana/classifyd-dashboard.json', INFRA), 'utf8'),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const rules = parseYaml(readFileSync(new URL('prometheus/alerts.yaml', INFRA), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const exprs = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr)),
      ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    ];
    expect(exprs.length).toBeGreaterThan(15);
    const read = exprs.flatMap(metricsIn);
    expect(read.filter((name) => !all.has(name))).toEqual([]);
  });

  it('shows how long the oldest job has waited on a queue no worker consumes', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    for (const app of stack.apps.filter((p) => p.name === 'parse-worker')) await stack.stopApp(app);
    const file = await a.files.create({
      file: await toFile(Buffer.from(`${INVOICE_TEXT}\nwaits`), 'w.txt'),
      purpose: 'classify',
    });
    await a.classify.create({ file_input: file.id, configuration: { rules: RULES } });
    await new Promise((r) => setTimeout(r, 1200));
    const api = await scrape(`${stack.baseUrl}/metrics`);
    expect(sample(api, 'classifyd_queue_oldest_waiting_seconds', { queue: 'parse' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(api, 'classifyd_queue_workers', { queue: 'parse' })).toBe(0);
  });
});
