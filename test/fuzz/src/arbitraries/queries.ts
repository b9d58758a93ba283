import fc from 'fast-check';
import { PROJECT_A, PROJECT_B } from '../api-under-test.js';
import type { Fixtures } from '../fixtures.js';
import { idStrings } from './ids.js';
import { longString, numberish, unicodeText } from './strings.js';

/** A query string as pairs, so that keys can repeat and values can be encoded or not. */
export interface QueryPairs {
  pairs: Array<[string, string]>;
  /** `component`: as URLSearchParams would; `raw`: only what the request line cannot carry. */
  encoding: 'component' | 'raw';
}

export function encodeQuery(query: QueryPairs): string {
  if (query.pairs.length === 0) return '';
  const enc = (s: string) => {
    const wellFormed = s.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    );
    return query.encoding === 'component'
      ? encodeURIComponent(wellFormed)
      : wellFormed.replace(/[^\x21-\x7e]|[#&]/gu, (c) => encodeURIComponent(c));
  };
  return `?${query.pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
}

export const pageSize = fc.oneof(
  fc.constantFrom(
    '1',
    '50',
    '100',
    '0',
    '101',
    '-1',
    '1.5',
    '1e2',
    '1e400',
    '99999999999999999999',
    ' 50',
    '50abc',
  ),
  numberish,
  fc.integer().map(String),
);

/** base64 and base64url, with and without padding. */
function base64Forms(bytes: Buffer): fc.Arbitrary<string> {
  return fc.constantFrom(
    bytes.toString('base64url'),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    encodeURIComponent(bytes.toString('base64')),
  );
}

const tokenJson = fc.oneof(
  fc.constantFrom(
    'null',
    '[]',
    '{}',
    '0',
    '-1',
    '1e999',
    'true',
    'false',
    '""',
    '"m"',
    '[null]',
    '{"m":null}',
  ),
  fc.constantFrom(
    '{"q":null,"m":"x"}',
    '{"m":"x"}',
    '{"q":"x","m":1}',
    '{"q":[],"m":[]}',
    '{"__proto__":{"m":"x"}}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

/**
 * page_token values: real tokens (of this list, of another list), real ones with `m` or `q`
 * changed, base64 of JSON that is not a cursor, of random bytes, and no base64 at all.
 */
export function pageToken(fixtures: Fixtures, listPath: string): fc.Arbitrary<string> {
  const real = Object.values(fixtures.own.pageTokens);
  const mine = fixtures.own.pageTokens[listPath];
  const tampered = (mine ? [mine] : real).map((token) => {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q: string; m: string };
    return fc
      .oneof(
        unicodeText(30).map((m) => ({ q: cursor.q, m })),
        fc.constantFrom('', '-', '+', '[', '(', '\uffff', '0'.repeat(30)).map((m) => ({ q: cursor.q, m })),
        fc.constant({ q: cursor.q }),
        fc.constant({ q: cursor.q, m: null }),
        fc.constant({ q: cursor.q, m: 12 }),
        unicodeText(30).map((q) => ({ q, m: cursor.m })),
      )
      .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));
  });
  return fc.oneof(
    { weight: 1, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.constant('') },
    { weight: 2, arbitrary: tampered.length > 0 ? fc.oneof(...tampered) : fc.constant('x') },
    { weight: 3, arbitrary: tokenJson.chain((json) => base64Forms(Buffer.from(json, 'utf8'))) },
    {
      weight: 2,
      arbitrary: fc.uint8Array({ maxLength: 64 }).chain((bytes) => base64Forms(Buffer.from(bytes))),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(unicodeText(40), longString(500, 600), fc.constantFrom('bnVsbA', 'W10', 'e30')),
    },
  );
}

/** Dates: valid instants and offsets, impossible days, years past what a list index holds. */
export const dateValue = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-01-01T00:00:00Z',
    '2024-01-01T00:00:00+14:00',
    '2024-01-01T00:00:00-12:00',
    '2024-01-01T00:00:00.123456789Z',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2024-01-01',
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    'now',
    '0',
    '1700000000000',
  ),
  numberish,
);

const STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'pending', 'SUCCESS', ''];

const EXAMPLE_STATUSES = ['PENDING', 'READY', 'FAILED', 'ready', 'COMPLETED', ''];

/** The fixtures' rule types, near misses of them, and the empty type of the negative examples. */
const RULE_TYPES = ['invoice', 'contract', 'INVOICE', ' invoice', 'receipt', ''];

/** Parameters each list route knows, with values of the right and the wrong kind. */
function knownParameters(fixtures: Fixtures, listPath: string): Array<[string, fc.Arbitrary<string>]> {
  const ids = idStrings(fixtures);
  const common: Array<[string, fc.Arbitrary<string>]> = [
    ['page_size', pageSize],
    ['page_token', pageToken(fixtures, listPath)],
    ['project_id', fc.oneof(fc.constantFrom(PROJECT_A, PROJECT_B, ''), unicodeText(20))],
    ['organization_id', unicodeText(20)],
  ];
  const jobs: Array<[string, fc.Arbitrary<string>]> = [
    ['status', fc.oneof(fc.constantFrom(...STATUSES), unicodeText(10))],
    ['job_ids', ids],
    ['created_at_on_or_after', dateValue],
    ['created_at_on_or_before', dateValue],
  ];
  switch (listPath) {
    case '/api/v2/classify':
      return [...common, ...jobs, ['configuration_id', ids]];
    case '/api/v2/parse':
      return [...common, ...jobs];
    case '/api/v1/beta/configurations/{id}/examples':
      return [
        ...common,
        // Empty: the negative examples. A type is at most 50 characters.
        ['type', fc.oneof(fc.constantFrom(...RULE_TYPES), unicodeText(12), longString(45, 55))],
        ['status', fc.oneof(fc.constantFrom(...EXAMPLE_STATUSES), unicodeText(10))],
      ];
    case '/api/v1/beta/files':
      return [
        ...common,
        ['file_ids', ids],
        [
          'file_name',
          fc.oneof(fc.constantFrom('own-invoice.txt', ''), unicodeText(), longString(2990, 3010)),
        ],
        ['external_file_id', fc.oneof(unicodeText(), longString(2990, 3010))],
        ['order_by', fc.constantFrom('created_at', 'name', 'id', 'size', 'NAME', '', '-name')],
      ];
    default:
      return [
        ...common,
        ['product_type', fc.constantFrom('classify_v2', 'parse_v2', 'extract_v2', '', 'x'.repeat(60))],
        ['name', fc.oneof(fc.constantFrom('own classify preset', ''), unicodeText(), longString(250, 260))],
        ['latest_only', fc.constantFrom('true', 'false', 'TRUE', '1', '')],
      ];
  }
}

/**
 * A list route's query: some of its parameters (any of them repeated, ids up to 120 times),
 * and now and then one it does not know.
 */
export function listQuery(fixtures: Fixtures, listPath: string): fc.Arbitrary<QueryPairs> {
  const known = knownParameters(fixtures, listPath);
  const pair = fc.oneof(
    ...known.map(([key, value]) => value.map((v): [string, string] => [key, v])),
    fc.tuple(unicodeText(10), unicodeText(10)),
  );
  const manyIds = fc
    .tuple(fc.constantFrom('job_ids', 'file_ids'), fc.integer({ min: 90, max: 130 }), idStrings(fixtures))
    .map(([key, n, id]) =>
      Array.from({ length: n }, (_, i): [string, string] => [key, i % 2 ? id : `${id}${i}`]),
    );
  return fc.record({
    pairs: fc.oneof(
      { weight: 6, arbitrary: fc.array(pair, { maxLength: 6 }) },
      { weight: 1, arbitrary: manyIds },
    ),
    encoding: fc.constantFrom<QueryPairs['encoding']>('component', 'component', 'raw'),
  });
}

/** Valid-looking queries without a page_token: the list code past the cursor. */
export function listQueryWithoutToken(fixtures: Fixtures, listPath: string): fc.Arbitrary<QueryPairs> {
  return listQuery(fixtures, listPath).map((q) => ({
    ...q,
    pairs: q.pairs.filter(([k]) => k !== 'page_token'),
  }));
}
