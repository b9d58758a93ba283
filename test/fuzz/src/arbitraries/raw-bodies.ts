import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** A body as bytes with the headers that describe it (or misdescribe it). */
export interface RawBody {
  bytes: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
}

const TEXTS = [
  '',
  ' ',
  'null',
  'true',
  '0',
  '-1e999',
  '"text"',
  '[]',
  '[{}]',
  '{}',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"\\x41"}',
  '{"configuration":null,"configuration":{"rules":[]}}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '\ufeff{}',
  'a=1&b=2',
  '<xml/>',
  '--boundary\r\n',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'application/json; charset=',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  'json',
  '',
];

const textBytes = fc.oneof(
  fc.constantFrom(...TEXTS).map((t) => Buffer.from(t, 'utf8')),
  fc.constantFrom(...TEXTS).map((t) => Buffer.from(t, 'utf16le')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  // Invalid UTF-8 inside a JSON string.
  fc.constantFrom(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d])),
  // Around the 2 MB JSON limit.
  fc
    .integer({ min: 2 * 1024 * 1024 - 20, max: 2 * 1024 * 1024 + 20 })
    .map((n) => Buffer.from(`{"a":"${'x'.repeat(Math.max(0, n - 8))}"}`)),
);

/** Bodies that are not the JSON object a route wants, under right and wrong content types and encodings. */
export const rawBody: fc.Arbitrary<RawBody> = fc
  .record(
    {
      bytes: textBytes,
      contentType: fc.constantFrom(...CONTENT_TYPES),
      contentEncoding: fc.constantFrom(
        'gzip',
        'deflate',
        'br',
        'identity',
        'compress',
        'x-bogus',
        'gzip, gzip',
      ),
      encodeAs: fc.constantFrom('as-declared', 'plain', 'plain', 'plain'),
    },
    { requiredKeys: ['bytes', 'encodeAs'] },
  )
  .map(({ bytes, contentType, contentEncoding, encodeAs }) => {
    // Compressed as declared, or not compressed although declared so.
    let body: Uint8Array = bytes;
    if (encodeAs === 'as-declared' && contentEncoding === 'gzip') body = gzipSync(bytes);
    if (encodeAs === 'as-declared' && contentEncoding === 'deflate') body = deflateSync(bytes);
    return {
      bytes: body,
      ...(contentType === undefined ? {} : { contentType }),
      ...(contentEncoding === undefined ? {} : { contentEncoding }),
    };
  });

/** A small gzip bomb: 50 MB of zeros in about 50 KB, declared as gzip JSON. */
export function gzipBomb(): RawBody {
  const json = Buffer.concat([
    Buffer.from('{"a":"'),
    Buffer.alloc(50 * 1024 * 1024, 0x30),
    Buffer.from('"}'),
  ]);
  return { bytes: gzipSync(json, { level: 9 }), contentType: 'application/json', contentEncoding: 'gzip' };
}
