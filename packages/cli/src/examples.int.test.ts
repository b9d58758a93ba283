import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import LlamaCloud from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CONTRACT_PAGES,
  INVOICE_TEXT,
  RECIPE_TEXT,
  RULES,
  WEATHER_TEXT,
} from '../test-fixtures/documents.js';
import { cli } from '../test-fixtures/run-built-cli.js';

const PROJECT = '44444444-4444-4444-8444-444444444444';

interface Row {
  path: string;
  type: string | null;
  status: string;
  example_id: string | null;
  error_message: string | null;
}

/** A row of `classifyd examples list --format json`. */
interface ListedExample {
  id: string;
  type: string | null;
  status: string;
  file_input: string;
  created_at: string;
  error_message: string | null;
}

describe('classifyd examples against the real service', () => {
  let stack: ServiceStack;
  let dir: string;
  let env: Record<string, string>;
  let configurationId: string;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'cli-examples',
      env: { API_KEYS: `cli-key:${PROJECT}`, CLASSIFIER: 'embedded' },
    });
    env = { CLASSIFYD_URL: stack.baseUrl, CLASSIFYD_API_KEY: 'cli-key' };
    const sdk = new LlamaCloud({ apiKey: 'cli-key', baseURL: stack.baseUrl });
    configurationId = (
      await sdk.configurations.create({
        name: 'cli-examples',
        parameters: { product_type: 'classify_v2', rules: RULES },
      })
    ).id;
    dir = mkdtempSync(join(tmpdir(), 'classifyd-cli-examples-'));
    mkdirSync(join(dir, 'labelled', 'docs'), { recursive: true });
    writeFileSync(join(dir, 'labelled', 'docs', 'march.txt'), INVOICE_TEXT);
    writeFileSync(join(dir, 'labelled', 'docs', 'soup.md'), RECIPE_TEXT);
    writeFileSync(join(dir, 'labelled', 'docs', 'agreement.pdf'), await makeTextPdf(CONTRACT_PAGES));
    writeFileSync(join(dir, 'labelled', 'docs', 'weather.txt'), WEATHER_TEXT);
    writeFileSync(
      join(dir, 'labelled', 'labels.csv'),
      'path,label\ndocs/march.txt,invoice\ndocs/soup.md,recipe\ndocs/agreement.pdf,contract\ndocs/weather.txt,none\n',
    );
    for (const [path, text] of [
      ['invoice/april.txt', INVOICE_TEXT.replace('March', 'April')],
      ['memo/note.txt', 'Memo to all staff: the car park is closed on Friday for resurfacing.'],
    ] as const) {
      mkdirSync(join(dir, 'typed', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'typed', path), text);
    }
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const list = async (...flags: string[]) => {
    const run = await cli(['examples', 'list', '-c', configurationId, ...flags], env);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as ListedExample[];
  };

  it('adds a labels.csv folder: every example READY, a row per file, a summary per type, exit 0', async () => {
    const run = await cli(
      ['examples', 'add', '--configuration', configurationId, join(dir, 'labelled')],
      env,
    );
    expect(run.stderr).toBe(
      [
        '4 examples: 4 ready',
        '  contract: 1 ready',
        '  invoice: 1 ready',
        '  recipe: 1 ready',
        '  (none): 1 ready',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Row[];
    expect(rows.map((r) => [r.path, r.type, r.status])).toEqual([
      ['docs/march.txt', 'invoice', 'READY'],
      ['docs/soup.md', 'recipe', 'READY'],
      ['docs/agreement.pdf', 'contract', 'READY'],
      ['docs/weather.txt', null, 'READY'],
    ]);
    for (const r of rows) expect(r.example_id).toMatch(/^exm-/);
  });

  it('reports a label that is not a rule type for its file, adds the others, and exits 1', async () => {
    const run = await cli(
      ['examples', 'add', '-c', configurationId, join(dir, 'typed'), '--format', 'table'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      ['2 examples: 1 ready, 1 error', '  invoice: 1 ready', '  memo: 1 error', ''].join('\n'),
    );
    const memo = run.stdout.split('\n').find((line) => line.startsWith('memo/note.txt'));
    expect(memo).toMatch(
      /^memo\/note\.txt\s+memo\s+ERROR\s+-\s+HTTP 422: body\.type: type "memo" is not one of/,
    );
  });

  it('lists the examples, filtered by type (none: the negatives) and status', async () => {
    const all = await list();
    expect(all.map((e) => e.type).sort()).toEqual(['contract', 'invoice', 'invoice', 'recipe', null].sort());
    expect(all.every((e) => e.status === 'READY')).toBe(true);
    expect((await list('--type', 'none')).map((e) => e.type)).toEqual([null]);
    expect((await list('--type', 'invoice')).map((e) => e.type)).toEqual(['invoice', 'invoice']);
    expect(await list('--status', 'FAILED')).toEqual([]);
    const table = await cli(['examples', 'list', '-c', configurationId, '--format', 'table'], env);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID\s+TYPE\s+STATUS\s+FILE_INPUT\s+CREATED_AT\s+ERROR_MESSAGE$/,
    );
    expect(table.stdout).toMatch(/exm-\S+\s+\(none\)\s+READY\s+dfl-/);
  });

  it('deletes examples by id, reports one that is gone, and deletes the rest with --all', async () => {
    const [first, second] = await list('--type', 'invoice');
    const one = await cli(['examples', 'delete', '-c', configurationId, first?.id ?? ''], env);
    expect([one.code, one.stderr]).toEqual([0, '1 of 1 example deleted\n']);
    expect((await list()).map((e) => e.id)).not.toContain(first?.id);

    const again = await cli(
      ['examples', 'delete', '-c', configurationId, first?.id ?? '', second?.id ?? ''],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`classifyd: ${first?.id}: HTTP 404`);
    expect(again.stderr).toContain('1 of 2 examples deleted');

    const rest = await cli(['examples', 'delete', '-c', configurationId, '--all'], env);
    expect([rest.code, rest.stderr]).toEqual([0, '3 of 3 examples deleted\n']);
    expect(await list()).toEqual([]);
  });

  it('exits 2 for a configuration that does not exist or a folder with no examples, before uploading', async () => {
    const unknown = await cli(
      ['examples', 'add', '-c', 'cfg-00000000-0000-4000-8000-000000000000', join(dir, 'labelled')],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/configuration "cfg-0+-0+-4000-8000-0+" not found/);
    const empty = await cli(['examples', 'add', '-c', configurationId, join(dir, 'labelled', 'docs')], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no examples in/);
    expect(await list()).toEqual([]);
  });

  it('exits 3 when the service refuses the key', async () => {
    const run = await cli(['examples', 'list', '-c', configurationId, '--api-key', 'wrong'], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/refused the API key \(401\)/);
  });
});
