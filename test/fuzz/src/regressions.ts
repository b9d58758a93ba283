import { deepNesting } from './arbitraries/json.js';
import type { UploadCase } from './arbitraries/multipart.js';
import type { QueryPairs } from './arbitraries/queries.js';
import type { Fixtures } from './fixtures.js';

/**
 * The minimal reproducers of defects the fuzzer found, run first by their property in every
 * run (see PropertyOptions.examples), so that `pnpm test` catches a return of any of them
 * whatever the seed draws.
 */

const RULES = [{ type: 'invoice', description: 'A bill with line items and totals' }];
const NO_ID = { id: '', encoding: 'component' as const };

/** Parameters of a parse_v2 configuration with a field nested 10,000 deep (stored as given). */
const deepParseParameters = { product_type: 'parse_v2', tier: 'fast', extra: deepNesting(10_000, 'array') };

export const regressions = {
  /** 500: RangeError (stack) in JSON.stringify of the record, ConfigurationStore.upsert. */
  configurationCreate: () => [{ body: { name: 'deep', parameters: deepParseParameters }, id: NO_ID }],
  /** 500: the same in ConfigurationStore.update. */
  configurationUpdate: (fixtures: Fixtures) => [
    {
      body: { parameters: deepParseParameters },
      id: { id: fixtures.own.parseConfigurationId, encoding: 'component' as const },
    },
  ],
  /** 500: TypeError Invalid URL in assertDeliverableWebhooks (the schema's regex lets "http://" through). */
  classifyCreate: () => [
    {
      body: {
        configuration: { rules: RULES },
        file_input: 'https://93.184.216.34/doc.pdf',
        webhook_configurations: [{ webhook_url: 'http://' }],
      },
      id: NO_ID,
    },
  ],
  parseCreate: () => [],
  exampleCreate: () => [],
  classifyCorrection: () => [],
  webhookConfigCreate: () => [],
  webhookConfigUpdate: () => [],
  /** 500 before it landed: a null filter reached the list with no page size (Redis refused the range). */
  fileQuery: () => [{ body: { filter: null }, id: NO_ID }],
  /**
   * 500 on the signed download: URIError in content-disposition, the stored name (cut at
   * 3000 UTF-16 units) ending in half a surrogate pair.
   */
  fileNameRoundTrip: () => [{ value: `${'a'.repeat(2999)}😀`, form: 'star' as const }],
  /**
   * Stored as "rÃ©sumÃ©.txt": a name sent as UTF-8 in filename="..." (as the official SDK,
   * fetch's FormData and browsers send it) is read as latin1.
   */
  fileNamesKept: () => [{ value: 'résumé.txt', form: 'plain' as const }],
  /** 500 before 1aa948d: TypeError in decodeCursor on base64url("null"). */
  pageToken: (): Array<{ route: 'classifyList'; token: string; rest: QueryPairs }> => [
    { route: 'classifyList', token: 'bnVsbA', rest: { pairs: [], encoding: 'component' } },
  ],
  /**
   * Process exit before dd9d6e1: a file part under another field name, and the body ends
   * inside it ("Unhandled 'error' event ... Unexpected end of form").
   */
  cutUpload: (): UploadCase[] => [
    {
      route: 'fileUpload',
      body: {
        boundary: 'b',
        parts: [
          { name: 'purpose', value: 'classify' },
          { name: 'other', filename: { value: 'a.txt', form: 'plain' }, value: 'hello' },
        ],
        ending: 'no-closing-boundary',
      },
      contentType: 'right',
      query: [],
    },
  ],
};
