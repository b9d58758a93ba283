import fc from 'fast-check';
import { MAX_UPLOAD_BYTES } from '../api-under-test.js';
import type { Fixtures } from '../fixtures.js';
import type { Ending, MultipartBody, Part } from '../multipart-body.js';
import type { UPLOAD_ROUTES } from '../routes.js';
import { jsonBody } from './bodies.js';
import { toJsonText } from './json.js';
import { longString, unicodeText } from './strings.js';

export type UploadRoute = (typeof UPLOAD_ROUTES)[number];

/** The file field each upload route reads. */
export const FILE_FIELD: Record<UploadRoute, string> = {
  fileUpload: 'file',
  fileUploadLegacy: 'upload_file',
  parseUpload: 'file',
};

const FIELD_NAMES = [
  'file',
  'upload_file',
  'purpose',
  'external_file_id',
  'configuration',
  'files',
  'File',
  '',
];

export const boundary = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/) },
  // RFC 2046 allows these too; unquoted in Content-Type, some of them end the parameter.
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ' ',
      'a b',
      '"quoted"',
      '--',
      '-',
      'x'.repeat(71),
      'x'.repeat(5000),
      'é',
      '\t',
    ),
  },
);

/** Names past the 3000 characters a file record keeps, with pairs of UTF-16 units around the cut. */
export const longFileName = fc
  .tuple(fc.integer({ min: 2990, max: 3010 }), fc.constantFrom('😀', '𝕏', '👩‍👩‍👧', 'é'))
  .map(([n, unit]) => `${'a'.repeat(n)}${unit.repeat(6)}`);

/** File names: plain, unicode, path-like, long. */
export const fileName = fc.oneof(
  fc.constantFrom('invoice.pdf', 'report.PDF', '.hidden', 'noext', 'a.b.c.d', 'x.verylongextension1'),
  unicodeText(40),
  fc.constantFrom(
    '../../etc/passwd',
    '..\\..\\boot.ini',
    '/abs/path.txt',
    'C:\\x.txt',
    'a\0b.txt',
    'con.txt',
    '',
  ),
  longString(2990, 3100),
  longFileName,
);

const fileBytes = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 2000 }) },
  { weight: 4, arbitrary: fc.constantFrom('INVOICE 1\nTotal due 10 EUR', '%PDF-1.7\n%%EOF', '', '\0\0\0') },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: MAX_UPLOAD_BYTES - 16, max: MAX_UPLOAD_BYTES + 4096 })
      .map((n) => new Uint8Array(n).fill(0x61)),
  },
);

function filePart(name: fc.Arbitrary<string>): fc.Arbitrary<Part> {
  return fc.record(
    {
      name,
      filename: fc.record({ value: fileName, form: fc.constantFrom<'plain' | 'star'>('plain', 'star') }),
      contentType: fc.constantFrom(
        'application/pdf',
        'text/plain',
        'application/octet-stream',
        '',
        'x/y; a=b',
      ),
      extraHeaders: fc.array(
        fc.constantFrom('Content-Transfer-Encoding: base64', 'X-Extra: 1', 'Content-Length: 3'),
      ),
      value: fileBytes,
    },
    { requiredKeys: ['name', 'filename', 'value'] },
  );
}

function fieldPart(fixtures: Fixtures): fc.Arbitrary<Part> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('classify', 'parse', 'user_data', 'CLASSIFY', '', 'agent_app') },
    { weight: 3, arbitrary: unicodeText(30) },
    { weight: 1, arbitrary: longString(2990, 3010) },
    // Around the 1 MiB a field may hold.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1024 * 1024 - 2, max: 1024 * 1024 + 2 }).map((n) => 'v'.repeat(n)),
    },
    { weight: 3, arbitrary: jsonBody(fixtures, 'parseCreate').map(toJsonText) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{',
        'null',
        '[]',
        '"x"',
        '1',
        '{"tier":"fast"}',
        '{"__proto__":{"tier":"x"}}',
      ),
    },
  );
  return fc.record({ name: fc.oneof(fc.constantFrom(...FIELD_NAMES), unicodeText(10)), value });
}

/** A form mostly as the route wants it (its fields, then the file), with changes. */
function formParts(fixtures: Fixtures, route: UploadRoute): fc.Arbitrary<Part[]> {
  const fileField = fc.oneof(
    { weight: 4, arbitrary: fc.constant(FILE_FIELD[route]) },
    { weight: 1, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  );
  const usual: Part[] =
    route === 'fileUpload'
      ? [{ name: 'purpose', value: 'classify' }]
      : route === 'parseUpload'
        ? [{ name: 'configuration', value: '{"tier":"fast","version":"latest"}' }]
        : [];
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(fieldPart(fixtures), { maxLength: 3 }), filePart(fileField))
        .map(([f, file]) => [...usual, ...f, file]),
    },
    { weight: 2, arbitrary: fc.array(fc.oneof(fieldPart(fixtures), filePart(fileField)), { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc.tuple(filePart(fileField), filePart(fileField)).map((files) => [...usual, ...files]),
    },
    { weight: 1, arbitrary: fc.array(fieldPart(fixtures), { minLength: 19, maxLength: 24 }) },
  );
}

export interface UploadCase {
  route: UploadRoute;
  body: MultipartBody;
  /** The Content-Type header: right, without or with another boundary, another type. */
  contentType: 'right' | 'no-boundary' | 'other-boundary' | 'quoted-boundary' | 'mixed' | 'json' | 'none';
  /** The query string: the legacy route reads external_file_id there too. */
  query: Array<[string, string]>;
}

const CONTENT_TYPES: UploadCase['contentType'][] = [
  'right',
  'right',
  'right',
  'right',
  'quoted-boundary',
  'no-boundary',
  'other-boundary',
  'mixed',
  'json',
  'none',
];

function uploadCase(
  fixtures: Fixtures,
  route: UploadRoute,
  endings: fc.Arbitrary<Ending>,
): fc.Arbitrary<UploadCase> {
  return fc.record({
    route: fc.constant(route),
    body: fc.record(
      {
        boundary,
        parts: formParts(fixtures, route),
        ending: endings,
        preamble: fc.constantFrom('', 'preamble text'),
        bareNewlines: fc.oneof(
          { weight: 7, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      },
      { requiredKeys: ['boundary', 'parts', 'ending'] },
    ),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    query: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.tuple(
            fc.constantFrom(
              'external_file_id',
              'external_file_id',
              'purpose',
              'upload_file',
              'project_id',
              '__proto__',
            ),
            fc.oneof(unicodeText(20), longString(2990, 3010), fc.constant('')),
          ),
          { maxLength: 3 },
        ),
      },
    ),
  });
}

/** Uploads to any of the three routes whose body is well formed (a form, complete). */
export function completeUpload(fixtures: Fixtures, routes: readonly UploadRoute[]): fc.Arbitrary<UploadCase> {
  return fc.oneof(...routes.map((route) => uploadCase(fixtures, route, fc.constant<Ending>('complete'))));
}

/** Uploads whose body ends early or badly, though the request itself is whole. */
export function cutUpload(fixtures: Fixtures, routes: readonly UploadRoute[]): fc.Arbitrary<UploadCase> {
  const endings = fc.constantFrom<Ending>(
    'no-closing-boundary',
    'cut-in-headers',
    'cut-in-value',
    'no-final-newline',
    'garbage-after',
  );
  return fc.oneof(...routes.map((route) => uploadCase(fixtures, route, endings)));
}

export function uploadContentType(upload: UploadCase): string | undefined {
  const b = upload.body.boundary;
  switch (upload.contentType) {
    case 'right':
      return `multipart/form-data; boundary=${b}`;
    case 'quoted-boundary':
      return `multipart/form-data; boundary="${b}"`;
    case 'no-boundary':
      return 'multipart/form-data';
    case 'other-boundary':
      return 'multipart/form-data; boundary=not-the-one-used';
    case 'mixed':
      return `multipart/mixed; boundary=${b}`;
    case 'json':
      return 'application/json';
    case 'none':
      return undefined;
  }
}
