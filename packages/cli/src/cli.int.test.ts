import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, makeTextPdf, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONTRACT_PAGES, INVOICE, INVOICE_TEXT, RECIPE_TEXT, RULES } from '../test-fixtures/documents.js';
import { cli } from '../test-fixtures/run-built-cli.js';

const PROJECT = '33333333-3333-4333-8333-333333333333';

/** RFC 4180 rows, enough to read the CLI's own CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('classifyd classify against the real service', () => {
  let stack: ServiceStack;
  let dir: string;
  let env: Record<string, string>;
  let rulesFile: string;

  beforeAll(async () => {
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'cli',
      env: { API_KEYS: `cli-key:${PROJECT}`, CLASSIFIER: 'embedded' },
    });
    env = { CLASSIFYD_URL: stack.baseUrl, CLASSIFYD_API_KEY: 'cli-key' };
    dir = mkdtempSync(join(tmpdir(), 'classifyd-cli-'));
    mkdirSync(join(dir, 'docs', 'more'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'march-invoice.txt'), INVOICE_TEXT);
    writeFileSync(join(dir, 'docs', 'agreement.pdf'), await makeTextPdf(CONTRACT_PAGES));
    writeFileSync(join(dir, 'docs', '.notes.txt'), RECIPE_TEXT);
    writeFileSync(join(dir, 'docs', 'more', 'cake.md'), RECIPE_TEXT);
    writeFileSync(join(dir, 'docs', 'more', 'empty.txt'), '');
    writeFileSync(
      join(dir, 'mixed.pdf'),
      await makeTextPdf([INVOICE_TEXT.split('\n'), RECIPE_TEXT.split('\n')]),
    );
    rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(RULES, null, 2));
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints JSON when stdout is not a terminal: a folder, its visible files only, exit 0', async () => {
    const run = await cli(['classify', join(dir, 'docs'), '--rules', rulesFile], env);
    expect(run.stderr).toBe('2 documents: 2 completed\n');
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout);
    expect(rows.map((r: { path: string }) => r.path)).toEqual([
      join(dir, 'docs', 'agreement.pdf'),
      join(dir, 'docs', 'march-invoice.txt'),
    ]);
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['contract', 'invoice']);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'COMPLETED', error_message: null });
      expect(row.job_id).toMatch(/^clj-/);
      expect(row.confidence).toBeGreaterThan(0);
      expect(row.confidence).toBeLessThanOrEqual(1);
      expect(row.reasoning.length).toBeGreaterThan(10);
      expect(row.upload_ms).toBeGreaterThanOrEqual(0);
      expect(row.wait_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('exits 1 when a document fails: recursive CSV names the empty file and why', async () => {
    const run = await cli(
      ['classify', join(dir, 'docs'), '-r', '--rules', rulesFile, '--format', 'csv', '-q'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header?.slice(0, 7)).toEqual([
      'path',
      'status',
      'type',
      'confidence',
      'reasoning',
      'job_id',
      'error_message',
    ]);
    const byName = new Map(rows.map((r) => [r[0]?.slice(dir.length + 6), r]));
    expect([...byName.keys()]).toEqual([
      'agreement.pdf',
      'march-invoice.txt',
      'more/cake.md',
      'more/empty.txt',
    ]);
    expect(byName.get('more/cake.md')?.slice(1, 3)).toEqual(['COMPLETED', 'recipe']);
    const empty = byName.get('more/empty.txt') ?? [];
    expect(empty[1]).toBe('FAILED');
    expect(empty[2]).toBe('');
    expect(empty[6]).toMatch(/empty/i);
  });

  it('prints an aligned table with --format table, and writes to --output with the format from its extension', async () => {
    const table = await cli(
      ['classify', join(dir, 'docs', 'march-invoice.txt'), '--rules', rulesFile, '--format', 'table'],
      env,
    );
    expect(table.code).toBe(0);
    const [head, row] = table.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^PATH\s+STATUS\s+TYPE\s+CONF\s+UPLOAD\s+WAIT\s+JOB\s+REASONING \/ ERROR$/);
    expect(row).toMatch(/march-invoice\.txt\s+COMPLETED\s+invoice\s+\d\.\d\d\s+\d+ms\s+\S+\s+clj-\S+\s+\S+/);
    expect(row?.length).toBeLessThanOrEqual(160);

    const out = join(dir, 'out.csv');
    const saved = await cli(
      ['classify', join(dir, 'docs', 'more', 'cake.md'), '--rules', rulesFile, '-o', out],
      env,
    );
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('');
    expect(parseCsv(readFileSync(out, 'utf8'))[1]?.slice(1, 3)).toEqual(['COMPLETED', 'recipe']);
  });

  it('takes --rule flags, and passes --target-pages and --parse-details to the service', async () => {
    const rules = [`invoice=${INVOICE.description}`, `recipe=${RULES[1]?.description}`];
    const args = [
      'classify',
      join(dir, 'mixed.pdf'),
      ...rules.flatMap((r) => ['--rule', r]),
      '--parse-details',
    ];
    const pageOne = JSON.parse((await cli([...args, '--target-pages', '1'], env)).stdout)[0];
    expect(pageOne).toMatchObject({ status: 'COMPLETED', type: 'invoice', format: 'pdf', page_count: 2 });
    expect(pageOne.classify_ms).toBeGreaterThanOrEqual(0);
    const pageTwo = JSON.parse((await cli([...args, '--target-pages', '2'], env)).stdout)[0];
    expect(pageTwo).toMatchObject({ status: 'COMPLETED', type: 'recipe' });
    expect(pageTwo.parse_job_id).not.toBe(pageOne.parse_job_id);
  });

  it('exits 2 on bad rules or flags, before sending anything', async () => {
    const bad = join(dir, 'bad-rules.json');
    writeFileSync(bad, JSON.stringify([RULES[0], { type: 'memo', description: 'too short' }]));
    const cases: [string[], RegExp][] = [
      [['--rules', bad], /bad-rules\.json: rule 2 \("memo"\): description must have at least 10 characters/],
      [['--rules', join(dir, 'missing.json')], /cannot read the rules file .*missing\.json": ENOENT/],
      [['--rule', 'invoice'], /--rule "invoice" needs the form type=description/],
      [[], /give rules with --rules FILE or at least one --rule/],
      [['--rules', rulesFile, '--format', 'yaml'], /--format "yaml" is not one of table, json, csv/],
    ];
    for (const [flags, message] of cases) {
      const run = await cli(['classify', join(dir, 'docs'), ...flags], env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    }
    const missing = await cli(['classify', join(dir, 'nope'), '--rules', rulesFile], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope" does not exist/);
  });

  it('exits 3 when the service is unreachable or refuses the key', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(['classify', join(dir, 'docs'), '--rules', rulesFile, '--base-url', closed], env);
    expect(down.code).toBe(3);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(/cannot reach the service/);
    const wrongKey = await cli(
      ['classify', join(dir, 'docs'), '--rules', rulesFile, '--api-key', 'wrong'],
      env,
    );
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/refused the API key \(401\)/);
  });

  it('gives up on a document after --timeout: TIMEOUT, its job cancelled, exit 1', async () => {
    // A long document never parsed before, so the job cannot finish before the cancel lands.
    const long = join(dir, 'long-contract.pdf');
    writeFileSync(
      long,
      await makeTextPdf(Array.from({ length: 40 }, (_, i) => CONTRACT_PAGES[i % 3] as string[])),
    );
    const run = await cli(['classify', long, '--rules', rulesFile, '--timeout', '0.01'], env);
    expect(run.code).toBe(1);
    const [row] = JSON.parse(run.stdout);
    expect(row).toMatchObject({ status: 'TIMEOUT', type: null });
    expect(row.error_message).toMatch(
      /no final status within 0\.01 s \(last: PENDING\); the job was cancelled/,
    );
    const job = await fetch(`${stack.baseUrl}/api/v2/classify/${row.job_id}`, {
      headers: { authorization: 'Bearer cli-key' },
    });
    expect(((await job.json()) as { status: string }).status).toBe('CANCELLED');
  });

  it('prints usage with --help and exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0 {2}every document COMPLETED/);
  });
});
