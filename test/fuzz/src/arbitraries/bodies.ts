import fc from 'fast-check';
import { type Fixtures, SAMPLE_RULES } from '../fixtures.js';
import { idStrings } from './ids.js';
import { type MutationContext, mutated, oneFieldChanged } from './mutate.js';
import { longString, unicodeText } from './strings.js';

/** Page selections: valid, reversed, page 0, open ends, huge numbers, other digits. */
export const targetPages = fc.oneof(
  fc.constantFrom(
    '1',
    '1,3,5-7',
    '0',
    '3-1',
    '1-',
    '-3',
    '1,,2',
    ',',
    '1-2-3',
    ' 1 - 3 ',
    '1 ,2',
    '99999999999999999999',
    '1-9007199254740993',
    '1-100000000',
    '1e3',
    '0x10',
    '٣',
    '1.5',
    '-0',
    '',
  ),
  fc
    .array(fc.tuple(fc.integer({ min: -2, max: 5000 }), fc.option(fc.integer({ min: -2, max: 5000 }))), {
      minLength: 1,
      maxLength: 300,
    })
    .map((ranges) => ranges.map(([a, b]) => (b === null ? `${a}` : `${a}-${b}`)).join(',')),
  longString(990, 1010).map((s) => s.replace(/[^,]/g, '1')),
);

const LANGS = [
  'en',
  'EN',
  'de',
  'zz',
  'e',
  'eng',
  '12',
  'e1',
  'ch_sim',
  'rs_cyrillic',
  'en_',
  '中文',
  'ﬀ',
  'İi',
];

const MALFORMED_URLS = [
  'http://',
  'https://',
  'http:///path',
  'http://[',
  'http://[::1',
  'http://a b/',
  'http://%zz/',
  'http://host:99999/',
  'http://host:-1/',
  'http://ex ample.com',
  'https://xn--/',
  'https://.../',
  'http://\u0000/',
  'http://exa\u00admple.com/',
  'http://@/',
  'http://:80/',
];

const OTHER_URLS = [
  'https://93.184.216.34/hook',
  'http://127.0.0.1/',
  'http://localhost/',
  'http://[::1]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://10.0.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://user:pass@93.184.216.34/',
  'http://例え.テスト/',
  'ftp://93.184.216.34/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'HTTP://93.184.216.34/',
  'https://93.184.216.34/😀',
  'https://no-such-host.invalid/doc.pdf',
];

/** URLs for webhooks and documents: well formed, private, malformed after the scheme. */
export const urls = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MALFORMED_URLS) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHER_URLS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('http://', 'https://'), unicodeText(30)).map(([s, rest]) => s + rest),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: longString(2040, 2060).map((s) => `https://93.184.216.34/${s}`) },
);

function context(fixtures: Fixtures, rate: number): MutationContext {
  return {
    rate,
    ids: idStrings(fixtures),
    special: {
      target_pages: targetPages,
      lang: fc.constantFrom(...LANGS),
      languages: fc.array(fc.constantFrom(...LANGS), { maxLength: 12 }),
      webhook_url: urls,
      source_url: urls,
      file_input: fc.oneof(idStrings(fixtures), urls),
      mode: fc.constantFrom('FAST', 'fast', 'SLOW', 'ACCURATE', ''),
      tier: fc.constantFrom('fast', 'FAST', 'agentic', 'cost_effective', 'configured', ''),
      version: fc.constantFrom('latest', 'configured', '2025-01-01', ''),
      product_type: fc.constantFrom('classify_v2', 'parse_v2', 'extract_v2', 'CLASSIFY_V2', ''),
      webhook_output_format: fc.constantFrom('string', 'json', 'xml', ''),
      webhook_events: fc.array(fc.constantFrom('classify.success', 'parse.error', 'nope', ''), {
        maxLength: 20,
      }),
      max_pages: fc.constantFrom(0, 1, -1, 1.5, 2 ** 31, 2 ** 53, 1e308, '1', null),
    },
  };
}

const RULE_PARAMETERS = {
  rules: SAMPLE_RULES,
  mode: 'FAST',
  parsing_configuration: { lang: 'en', max_pages: 3, target_pages: '1,3,5-7' },
};

/** Valid bodies of each JSON route, naming the project's real resources. */
export function templates(fixtures: Fixtures) {
  const own = fixtures.own;
  const webhook = {
    webhook_url: 'https://93.184.216.34/hook',
    webhook_headers: { 'x-fuzz': 'yes' },
    webhook_events: ['classify.success', 'classify.error'],
    webhook_output_format: 'json',
    webhook_signing_secret: 'fuzz-secret',
  };
  return {
    classifyCreate: [
      {
        configuration: RULE_PARAMETERS,
        file_input: own.fileIds[0],
        transaction_id: 'fuzz-tx',
        webhook_configurations: [webhook],
      },
      { configuration_id: own.classifyConfigurationId, file_input: own.parseJobIds[0] },
      { configuration: { rules: SAMPLE_RULES }, file_id: own.fileIds[1] },
      {
        configuration: { rules: SAMPLE_RULES },
        parse_job_id: own.parseJobIds[0],
        webhook_configuration_ids: own.webhookConfigIds,
      },
      { configuration: { rules: SAMPLE_RULES }, file_input: 'https://93.184.216.34/doc.pdf' },
    ],
    parseCreate: [
      {
        file_id: own.fileIds[0],
        tier: 'fast',
        version: 'latest',
        page_ranges: { max_pages: 2, target_pages: '1-2' },
        lang: 'en',
        processing_options: { ocr_parameters: { languages: ['en', 'ch_sim'] } },
        disable_cache: true,
        user_metadata: { source: 'fuzz' },
      },
      { source_url: 'https://93.184.216.34/doc.pdf', configuration_id: own.parseConfigurationId },
      {
        file_id: own.fileIds[1],
        configuration_id: own.parseConfigurationId,
        tier: 'configured',
        version: 'configured',
      },
    ],
    configurationCreate: [
      { name: 'fuzz classify preset', parameters: { product_type: 'classify_v2', ...RULE_PARAMETERS } },
      {
        name: 'fuzz parse preset',
        parameters: {
          product_type: 'parse_v2',
          tier: 'fast',
          version: 'latest',
          page_ranges: { max_pages: 4, target_pages: '1,2' },
        },
      },
    ],
    configurationUpdate: [
      { name: 'fuzz renamed', parameters: { product_type: 'classify_v2', rules: SAMPLE_RULES } },
      { parameters: { product_type: 'parse_v2', tier: 'fast', version: 'latest' } },
      { name: 'fuzz renamed again' },
    ],
    // Valid for the project's classify configuration (and, for a correction, a COMPLETED job of it).
    exampleCreate: [
      { file_input: own.fileIds[0], type: 'invoice' },
      { file_input: own.parseJobIds[0], type: null },
      { file_input: own.fileIds[1], type: 'contract' },
    ],
    classifyCorrection: [{ type: 'contract' }, { type: null }, { type: 'invoice' }],
    webhookConfigCreate: [webhook, { webhook_url: 'https://93.184.216.34/other' }],
    fileQuery: [
      { filter: { file_ids: own.fileIds }, page_size: 1 },
      { filter: { file_name: 'own-invoice.txt', only_manually_uploaded: true }, order_by: 'name' },
      { filter: { data_source_id: 'ds-1' }, page_size: 5 },
    ],
    // Valid for the project's saved webhook configuration.
    webhookConfigUpdate: [
      { webhook_url: 'https://93.184.216.34/moved' },
      { webhook_events: ['classify.success'], webhook_output_format: 'string' },
      { webhook_signing_secret: 'rotated', webhook_headers: { 'x-fuzz': 'again' } },
    ],
  };
}

export type JsonRoute = keyof ReturnType<typeof templates>;

/**
 * Bodies of a JSON route: its templates as they are, with one field changed (so that the
 * rest passes and the change is what the API answers), or mutated field by field at a low
 * or a high rate (wrong in several ways at once).
 */
export function jsonBody(fixtures: Fixtures, route: JsonRoute): fc.Arbitrary<unknown> {
  const options = templates(fixtures)[route];
  const template = fc.constantFrom(...options);
  return fc.oneof(
    { weight: 1, arbitrary: template },
    { weight: 5, arbitrary: template.chain((t) => oneFieldChanged(t, context(fixtures, 0.1))) },
    { weight: 2, arbitrary: template.chain((t) => mutated(t, context(fixtures, 0.1))) },
    { weight: 1, arbitrary: template.chain((t) => mutated(t, context(fixtures, 0.35))) },
  );
}
