import { describe, expect, it } from 'vitest';
import { type EvalRecord, evaluateRules } from './evaluate.js';
import { renderMarkdown } from './report-markdown.js';

const record = (
  path: string,
  label: string,
  expected: string | null,
  predicted: string | null | undefined,
  extra: Partial<EvalRecord> = {},
): EvalRecord => ({
  path,
  label,
  format: path.endsWith('.pdf') ? 'pdf' : 'text',
  detected_format: path.endsWith('.pdf') ? 'pdf' : 'text',
  expected,
  predicted,
  confidence: predicted === undefined ? null : 0.8,
  status: predicted === undefined ? 'FAILED' : 'COMPLETED',
  error_message: predicted === undefined ? 'The file is empty' : null,
  job_id: 'clj-x',
  upload_ms: 10,
  wait_ms: 200,
  job_ms: 100,
  parse_ms: 60,
  classify_ms: 40,
  ...extra,
});

const PASS1 = [
  record('a.pdf', 'invoice', 'invoice', 'invoice', { classifier_ms: 2 }),
  record('b.txt', 'receipt', 'receipt', 'invoice', { classifier_ms: 8 }),
  record('c.txt', 'receipt', 'receipt', undefined),
  record('d.pdf', 'none', null, null),
];
const HELD_OUT = [
  record('a.pdf', 'invoice', null, null),
  record('b.txt', 'receipt', null, 'invoice'),
  record('c.txt', 'receipt', null, undefined),
];

describe('one rules file evaluated', () => {
  const report = evaluateRules('rules.json', ['invoice', 'receipt'], PASS1, HELD_OUT);

  it('scores pass 1, the held-out pass and both pooled', () => {
    expect(report.summary).toMatchObject({ n: 4, completed: 3, accuracy: 0.5 });
    expect(report.nulls.labelledNone).toMatchObject({ precision: 1, recall: 1 });
    expect(report.nulls.heldOut).toEqual({ n: 3, recall: 1 / 3, wrongType: 1 / 3, failed: 1 });
    expect(report.nulls.pooled).toMatchObject({ support: 4, predicted: 2, precision: 1, recall: 0.5 });
    expect(report.perFormat.map((g) => [g.group, g.n, g.accuracy])).toEqual([
      ['pdf', 2, 1],
      ['text', 2, 0],
    ]);
    expect(report.latency.pass1.job_ms).toEqual({ n: 4, p50: 100, p95: 100 });
    // Known only for jobs whose worker log was read.
    expect(report.latency.pass1.classifier_ms).toMatchObject({ n: 2 });
    expect(report.latency.heldOut.classifier_ms).toEqual({ n: 0, p50: null, p95: null });
  });

  it('lists a document that failed in both passes once, with both passes', () => {
    expect(report.failures).toEqual([
      { path: 'c.txt', passes: [1, 2], status: 'FAILED', error_message: 'The file is empty' },
    ]);
  });

  it('renders a markdown report with the summary, the tables and the diagram', () => {
    const md = renderMarkdown({
      created_at: '2026-01-01T00:00:00.000Z',
      dataset: 'set',
      documents: 4,
      service: { base_url: 'http://127.0.0.1:1', started_by_eval: true, classifier: 'embedded' },
      concurrency: 4,
      reports: [report],
      diagrams: { 'rules.json': 'reliability-rules.png' },
      seconds: 12,
    });
    expect(md).toContain('| rules.json | 50.0% |');
    expect(md).toContain('| invoice | 1 | 2 | 0.500 | 1.000 | 0.667 |');
    expect(md).toContain('| receipt | 1 | 0 | 0 | 1 |');
    expect(md).toContain('![Reliability diagram, rules.json, pass 1](reliability-rules.png)');
    expect(md).toContain('| c.txt | 1, 2 | FAILED | The file is empty |');
  });
});
