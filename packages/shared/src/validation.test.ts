import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { classifyCreateRequestSchema, classifyListQuerySchema } from './schemas/classify.js';
import { parseOrThrow } from './validation.js';

const FILE = 'dfl-00000000-0000-4000-8000-000000000001';
const rule = (type = 'invoice', description = 'A bill asking for payment') => ({ type, description });
const body = (configuration: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  file_input: FILE,
  configuration: { rules: [rule()], ...configuration },
  ...extra,
});

function issuesOf(input: unknown, schema = classifyCreateRequestSchema, source: 'body' | 'query' = 'body') {
  try {
    parseOrThrow(schema, input, source);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.issues ?? [];
  }
}

describe('classify create limits', () => {
  it.each([
    ['0 rules', { rules: [] }, ['body', 'configuration', 'rules'], 'too_short'],
    [
      '51 rules',
      { rules: Array.from({ length: 51 }, (_, i) => rule(`t${i}`)) },
      ['body', 'configuration', 'rules'],
      'too_long',
    ],
    ['empty type', { rules: [rule('')] }, ['body', 'configuration', 'rules', 0, 'type'], 'string_too_short'],
    [
      '51-char type',
      { rules: [rule('x'.repeat(51))] },
      ['body', 'configuration', 'rules', 0, 'type'],
      'string_too_long',
    ],
    [
      '9-char description',
      { rules: [rule('a', 'x'.repeat(9))] },
      ['body', 'configuration', 'rules', 0, 'description'],
      'string_too_short',
    ],
    [
      '2001-char description',
      { rules: [rule('a', 'x'.repeat(2001))] },
      ['body', 'configuration', 'rules', 0, 'description'],
      'string_too_long',
    ],
    ['blank type', { rules: [rule('   ')] }, ['body', 'configuration', 'rules', 0, 'type'], 'value_error'],
    [
      'description of spaces',
      { rules: [rule('a', `  ${'x'.repeat(9)}          `)] },
      ['body', 'configuration', 'rules', 0, 'description'],
      'value_error',
    ],
    ['mode ACCURATE', { mode: 'ACCURATE' }, ['body', 'configuration', 'mode'], 'literal_error'],
    [
      'max_pages 0',
      { parsing_configuration: { max_pages: 0 } },
      ['body', 'configuration', 'parsing_configuration', 'max_pages'],
      'greater_than_equal',
    ],
    [
      'max_pages past any document',
      { parsing_configuration: { max_pages: 1_000_001 } },
      ['body', 'configuration', 'parsing_configuration', 'max_pages'],
      'less_than_equal',
    ],
    [
      'max_pages not a number',
      { parsing_configuration: { max_pages: '5' } },
      ['body', 'configuration', 'parsing_configuration', 'max_pages'],
      'number_type',
    ],
    [
      'target_pages 0',
      { parsing_configuration: { target_pages: '0' } },
      ['body', 'configuration', 'parsing_configuration', 'target_pages'],
      'value_error',
    ],
    [
      'target_pages reversed',
      { parsing_configuration: { target_pages: '5-2' } },
      ['body', 'configuration', 'parsing_configuration', 'target_pages'],
      'value_error',
    ],
    [
      'target_pages malformed',
      { parsing_configuration: { target_pages: '1;2' } },
      ['body', 'configuration', 'parsing_configuration', 'target_pages'],
      'value_error',
    ],
    [
      'lang not ISO 639-1',
      { parsing_configuration: { lang: 'english' } },
      ['body', 'configuration', 'parsing_configuration', 'lang'],
      'string_pattern_mismatch',
    ],
  ])('refuses %s', (_name, configuration, loc, type) => {
    const issues = issuesOf(body(configuration));
    expect(issues).toContainEqual(expect.objectContaining({ loc, type }));
  });

  it.each([
    ['1 rule', { rules: [rule()] }],
    ['50 rules', { rules: Array.from({ length: 50 }, (_, i) => rule(`t${i}`)) }],
    ['1-char type', { rules: [rule('a')] }],
    ['50-char type', { rules: [rule('x'.repeat(50))] }],
    ['10-char description', { rules: [rule('a', 'x'.repeat(10))] }],
    ['2000-char description', { rules: [rule('a', 'x'.repeat(2000))] }],
    [
      'target_pages "1,3,5-7" with max_pages',
      { parsing_configuration: { target_pages: '1,3,5-7', max_pages: 2, lang: 'DE' } },
    ],
  ])('accepts %s', (_name, configuration) => {
    expect(issuesOf(body(configuration))).toEqual([]);
  });

  it.each([
    [
      '51 webhook headers',
      { webhook_headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`h${i}`, 'v'])) },
      'webhook_headers',
    ],
    ['a header value of 8193 characters', { webhook_headers: { h: 'v'.repeat(8193) } }, 'webhook_headers'],
    [
      'more webhook events than there are',
      { webhook_events: Array.from({ length: 20 }, () => 'classify.success') },
      'webhook_events',
    ],
  ])('refuses a webhook with %s', (_name, webhook, field) => {
    const issues = issuesOf(
      body({}, { webhook_configurations: [{ webhook_url: 'https://example.com/h', ...webhook }] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ loc: expect.arrayContaining(['body', 'webhook_configurations', 0, field]) }),
    );
  });

  it('refuses more than 10 saved webhook ids', () => {
    const ids = Array.from({ length: 11 }, (_, i) => `whc-${i}`);
    expect(issuesOf(body({}, { webhook_configuration_ids: ids }))).toContainEqual(
      expect.objectContaining({ loc: ['body', 'webhook_configuration_ids'], type: 'too_long' }),
    );
  });

  it('defaults lang to en and mode to FAST, and lowercases lang', () => {
    const parsed = parseOrThrow(
      classifyCreateRequestSchema,
      body({ parsing_configuration: { lang: 'FR' } }),
      'body',
    );
    expect(parsed.configuration?.mode).toBe('FAST');
    expect(parsed.configuration?.parsing_configuration?.lang).toBe('fr');
    const plain = parseOrThrow(classifyCreateRequestSchema, body({ parsing_configuration: {} }), 'body');
    expect(plain.configuration?.parsing_configuration?.lang).toBe('en');
  });

  it('needs exactly one of configuration and configuration_id', () => {
    expect(issuesOf({ file_input: FILE })).toContainEqual(
      expect.objectContaining({ loc: ['body', 'configuration'] }),
    );
    expect(issuesOf({ ...body({}), configuration_id: 'cfg-1' })).toContainEqual(
      expect.objectContaining({ loc: ['body', 'configuration_id'] }),
    );
    expect(issuesOf({ file_input: FILE, configuration_id: 'cfg-1' })).toEqual([]);
  });

  it('accepts a file id, a parse job id, a URL, and the deprecated fields; nothing else', () => {
    expect(issuesOf(body({}, { file_input: 'pjb-00000000-0000-4000-8000-000000000001' }))).toEqual([]);
    expect(issuesOf(body({}, { file_input: 'https://example.com/a.pdf' }))).toEqual([]);
    expect(issuesOf({ configuration: { rules: [rule()] }, file_id: FILE })).toEqual([]);
    expect(
      issuesOf({
        configuration: { rules: [rule()] },
        parse_job_id: 'pjb-00000000-0000-4000-8000-000000000001',
      }),
    ).toEqual([]);
    for (const bad of ['dfl-123', 'ftp://x/y', 'hello', 'clj-00000000-0000-4000-8000-000000000001']) {
      expect(issuesOf(body({}, { file_input: bad }))).toContainEqual(
        expect.objectContaining({ loc: ['body', 'file_input'] }),
      );
    }
    expect(issuesOf({ configuration: { rules: [rule()] } })).toContainEqual(
      expect.objectContaining({ loc: ['body', 'file_input'] }),
    );
    expect(issuesOf({ ...body({}), file_id: 'dfl-00000000-0000-4000-8000-000000000002' })).toContainEqual(
      expect.objectContaining({ loc: ['body', 'file_id'] }),
    );
  });

  it('reports a missing field as FastAPI does', () => {
    expect(issuesOf({ file_input: FILE, configuration: {} })).toContainEqual({
      loc: ['body', 'configuration', 'rules'],
      msg: 'Field required',
      type: 'missing',
    });
  });
});

describe('list query limits', () => {
  it.each([
    ['0', 'greater_than_equal'],
    ['101', 'less_than_equal'],
    ['ten', 'number_type'],
    ['2.5', 'int_type'],
  ])('refuses page_size %s', (page_size, type) => {
    const issues = issuesOf({ page_size }, classifyListQuerySchema as never, 'query');
    expect(issues).toContainEqual(expect.objectContaining({ loc: ['query', 'page_size'], type }));
  });

  it.each([
    ['1', 1],
    ['100', 100],
    [undefined, 50],
    [['5', '7'], 7],
  ])('accepts page_size %s as %d', (page_size, expected) => {
    expect(parseOrThrow(classifyListQuerySchema, { page_size }, 'query').page_size).toBe(expected);
  });

  it('takes job_ids repeated or single, and a status from the five', () => {
    expect(parseOrThrow(classifyListQuerySchema, { job_ids: 'a' }, 'query').job_ids).toEqual(['a']);
    expect(parseOrThrow(classifyListQuerySchema, { job_ids: ['a', 'b'] }, 'query').job_ids).toEqual([
      'a',
      'b',
    ]);
    expect(issuesOf({ status: 'DONE' }, classifyListQuerySchema as never, 'query')).toContainEqual(
      expect.objectContaining({ loc: ['query', 'status'] }),
    );
  });
});
