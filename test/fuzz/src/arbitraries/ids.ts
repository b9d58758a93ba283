import fc from 'fast-check';
import { allIds, type Fixtures } from '../fixtures.js';
import { longString, unicodeText } from './strings.js';

const PREFIXES = ['clj', 'pjb', 'dfl', 'cfg', 'exm', 'CLJ', 'xyz', ''];

/** Ids of the right form that name nothing, and ids of no form at all. */
export const forgedId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.uuid()).map(([p, u]) => `${p}-${u}`) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: unicodeText(60) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '.',
      '..',
      '...',
      '%2e%2e',
      '..%2f..%2fetc%2fpasswd',
      '%00',
      '%',
      '%zz',
      '%E0%A4%A',
      '%C0%AF',
      '%ED%A0%80',
      '%FF%FE',
      '%2F',
      '%5C',
      '%25',
      '%252e%252e',
      '+',
      '%20',
      '*',
      '?',
      '[',
      '{prefix}',
      'clj-*',
      'dfl-00000000-0000-0000-0000-000000000000',
      '__proto__',
      'constructor',
      'null',
      'undefined',
      '0',
      '-1',
      'true',
      "' OR 1=1 --",
      'CON',
      'AUX',
    ),
  },
  { weight: 1, arbitrary: longString(256, 8000) },
);

/** How an id goes into a path: encoded as a client library would, raw where Node allows, or twice. */
export type PathEncoding = 'component' | 'raw' | 'double';

export function encodePathSegment(id: string, encoding: PathEncoding): string {
  const wellFormed = id.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (s) => `%${s.charCodeAt(0).toString(16)}`,
  );
  if (encoding === 'double') return encodeURIComponent(encodeURIComponent(wellFormed));
  if (encoding === 'component') return encodeURIComponent(wellFormed);
  // Raw: what the request line can carry as it is (printable ASCII but '/', '?' and '#').
  return wellFormed.replace(/[^\x21-\x7e]|[/?#]/gu, (c) => encodeURIComponent(c));
}

export interface PathId {
  id: string;
  encoding: PathEncoding;
}

/** Ids for a `{id}` in a path: the project's real ids, the other project's, forged ones. */
export function pathId(fixtures: Fixtures): fc.Arbitrary<PathId> {
  const id = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...allIds(fixtures.own)) },
    { weight: 2, arbitrary: fc.constantFrom(...allIds(fixtures.other)) },
    { weight: 4, arbitrary: forgedId },
  );
  return fc.record({
    id,
    encoding: fc.constantFrom<PathEncoding>('component', 'component', 'raw', 'double'),
  });
}

/** Strings where a body or query names a resource: real ids of both projects and forged ones. */
export function idStrings(fixtures: Fixtures): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...allIds(fixtures.own)),
    fc.constantFrom(...allIds(fixtures.other)),
    forgedId,
  );
}
