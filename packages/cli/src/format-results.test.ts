import { describe, expect, it } from 'vitest';
import type { DocumentResult } from './classify-document.js';
import { formatCsv, formatJson, formatTable, summarize } from './format-results.js';

const base: DocumentResult = {
  path: 'docs/march-invoice.txt',
  status: 'COMPLETED',
  type: 'invoice',
  confidence: 0.9312,
  reasoning: 'Matched "invoice": the document has an invoice number,\na total due and payment terms.',
  job_id: 'clj-1',
  error_message: null,
  upload_ms: 12,
  wait_ms: 15_300,
  job_ms: 250,
  file_id: 'dfl-1',
  parse_job_id: 'pjb-1',
};
const failed: DocumentResult = {
  ...base,
  path: 'empty.txt',
  status: 'FAILED',
  type: null,
  confidence: null,
  reasoning: null,
  job_id: 'clj-2',
  error_message: 'The file is empty',
};

describe('output formats', () => {
  it('json: one object per document with every field in order, null where unknown', () => {
    const rows = JSON.parse(formatJson([base, failed]));
    expect(Object.keys(rows[0])).toEqual([
      'path',
      'status',
      'type',
      'confidence',
      'reasoning',
      'job_id',
      'error_message',
      'upload_ms',
      'wait_ms',
      'job_ms',
      'file_id',
      'parse_job_id',
    ]);
    expect(rows[1]).toMatchObject({ status: 'FAILED', type: null, error_message: 'The file is empty' });
  });

  it('table gains the parse columns too when parse details were fetched, and only then', () => {
    const detailed = { ...base, format: 'pdf', page_count: 3, parse_ms: 40, classify_ms: 9 };
    const [header, row] = formatTable([detailed], 200).split('\n');
    expect(header).toMatch(/JOB\s+FORMAT\s+PAGES\s+PARSE\s+CLASSIFY\s+REASONING/);
    expect(row).toMatch(/clj-1\s+pdf\s+3\s+40ms\s+9ms\s+Matched/);
    expect(formatTable([base], 200).split('\n')[0]).not.toContain('FORMAT');
  });

  it('json and csv gain the parse columns when parse details were fetched', () => {
    const detailed = { ...base, format: 'pdf', page_count: 3, parse_ms: 40, classify_ms: 9 };
    expect(JSON.parse(formatJson([detailed]))[0]).toMatchObject({
      format: 'pdf',
      page_count: 3,
      classify_ms: 9,
    });
    expect(formatCsv([detailed]).split('\r\n')[0]).toMatch(/,format,page_count,parse_ms,classify_ms$/);
  });

  it('csv: quotes commas, quotes and newlines; empty cells for null', () => {
    const lines = formatCsv([base, failed]).split('\r\n');
    expect(lines[0]).toBe(
      'path,status,type,confidence,reasoning,job_id,error_message,upload_ms,wait_ms,job_ms,file_id,parse_job_id',
    );
    expect(lines[1]).toBe(
      'docs/march-invoice.txt,COMPLETED,invoice,0.9312,"Matched ""invoice"": the document has an invoice number,\n' +
        'a total due and payment terms.",clj-1,,12,15300,250,dfl-1,pjb-1',
    );
    expect(lines[2]).toBe('empty.txt,FAILED,,,,clj-2,The file is empty,12,15300,250,dfl-1,pjb-1');
  });

  it('table: aligned columns, reasoning on one line cut to the width, the error for a failed row', () => {
    const table = formatTable([base, failed], 100);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PATH\s+STATUS\s+TYPE\s+CONF\s+UPLOAD\s+WAIT\s+JOB\s+REASONING \/ ERROR$/);
    expect(lines[1]).toMatch(
      /^docs\/march-invoice\.txt\s+COMPLETED\s+invoice\s+0\.93\s+12ms\s+15\.3s\s+clj-1\s+Matched/,
    );
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(lines[2]).toMatch(/^empty\.txt\s+FAILED\s+-\s+-\s+.*The file is empty$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]?.indexOf('STATUS')).toBe(lines[1]?.indexOf('COMPLETED'));
  });

  it('table: a long path keeps its end, which names the file; a null type reads (none)', () => {
    const deep = { ...base, path: `${'very/'.repeat(20)}deep/report.pdf`, type: null };
    const row = formatTable([deep]).split('\n')[1] ?? '';
    expect(row.startsWith('…')).toBe(true);
    expect(row).toMatch(/deep\/report\.pdf\s+COMPLETED\s+\(none\)/);
  });

  it('summarizes the counts per status', () => {
    expect(summarize([base, failed, base])).toBe('3 documents: 2 completed, 1 failed');
  });
});
