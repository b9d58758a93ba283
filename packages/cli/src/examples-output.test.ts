import { describe, expect, it } from 'vitest';
import type { ExampleResult } from './add-examples.js';
import { formatAddResults, summarizeByType } from './examples-output.js';

const row = (
  path: string,
  type: string | null,
  status: ExampleResult['status'],
  error: string | null = null,
) => ({
  path,
  type,
  status,
  example_id: status === 'ERROR' ? null : `exm-${path}`,
  file_id: `dfl-${path}`,
  error_message: error,
});
const RESULTS: ExampleResult[] = [
  row('a.txt', 'invoice', 'READY'),
  row('b.txt', 'invoice', 'READY'),
  row('c.txt', null, 'READY'),
  row('d.txt', 'memo', 'ERROR', 'HTTP 422: body.type: "memo" is not a rule type of this configuration'),
  row('e.txt', 'recipe', 'FAILED', 'The file is empty'),
];

describe('examples add output', () => {
  it('summarises per type, negatives last as (none)', () => {
    expect(summarizeByType(RESULTS)).toBe(
      [
        '5 examples: 3 ready, 1 error, 1 failed',
        '  invoice: 2 ready',
        '  memo: 1 error',
        '  recipe: 1 failed',
        '  (none): 1 ready',
        '',
      ].join('\n'),
    );
  });

  it('prints a row per file: a table for people, JSON with null for a negative type', () => {
    const [head, , , negative, refused] = formatAddResults(RESULTS, 'table', 200).trimEnd().split('\n');
    expect(head).toMatch(/^PATH\s+TYPE\s+STATUS\s+EXAMPLE_ID\s+ERROR_MESSAGE$/);
    expect(negative).toMatch(/^c\.txt\s+\(none\)\s+READY\s+exm-c\.txt\s+-$/);
    expect(refused).toMatch(/^d\.txt\s+memo\s+ERROR\s+-\s+HTTP 422: body\.type: "memo" is not a rule type/);
    const json = JSON.parse(formatAddResults(RESULTS, 'json'));
    expect(json[2]).toEqual({
      path: 'c.txt',
      type: null,
      status: 'READY',
      example_id: 'exm-c.txt',
      file_id: 'dfl-c.txt',
      error_message: null,
    });
  });
});
