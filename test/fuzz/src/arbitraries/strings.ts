import fc from 'fast-check';

/** Characters parsers and stores trip over: NUL, controls, lone surrogates, BOM, RTL, line separators. */
const NASTY_CHARS = [
  '\0',
  '\x01',
  '\x7f',
  '\b',
  '\t',
  '\n',
  '\r',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\ude00',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u200b',
  '\u202e',
  '\u2028',
  '\u2029',
  '\u0301',
  '😀',
  '👩‍👩‍👧',
  '𝕏',
  'é',
  'ß',
  'İ',
  'ﷺ',
  '\\',
  '"',
  "'",
  '%',
  '/',
  '?',
  '#',
  '&',
  '=',
  '+',
  ':',
  ';',
  ',',
  '*',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  ' ',
];

/** One character: mostly any code point, often one from NASTY_CHARS. */
export const nastyChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_CHARS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** Text of any code points, lone surrogates and NUL included. */
export const unicodeText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: nastyChar, maxLength });

/** Strings that look like numbers, booleans or nothing, to a lax parser. */
export const NUMBERISH = [
  '',
  ' ',
  '0',
  '-0',
  '1',
  '-1',
  '+1',
  '01',
  '1.5',
  '1e2',
  '1e309',
  '-1e309',
  '0x10',
  '0b11',
  '0o7',
  '1_000',
  ' 1',
  '1 ',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  'false',
  '[]',
  '{}',
  '9007199254740993',
  '99999999999999999999999999',
  '2147483648',
  '-2147483649',
  '4294967296',
  '1.7976931348623157e308',
  '5e-324',
  '١٢',
];

export const numberish: fc.Arbitrary<string> = fc.constantFrom(...NUMBERISH);

/** A long run of one character or a pattern: the sizes a limit check must catch. */
export const longString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: minLength, max: maxLength }), fc.constantFrom('a', ' ', '😀', 'é', '\0', 'ab%'))
    .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

/** Any string worth sending where a string goes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: unicodeText() },
  { weight: 2, arbitrary: numberish },
  { weight: 1, arbitrary: longString(200, 5000) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  },
  {
    weight: 1,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the input here
    arbitrary: fc.constantFrom('../../../etc/passwd', '..', '.', '%00', '%', '%zz', '${x}', '{{x}}'),
  },
);

/** A string of exactly `n` characters (edge lengths around a limit). */
export const stringOfLength = (n: number): fc.Arbitrary<string> =>
  fc.constantFrom('a', 'é', '😀', ' ').map((unit) => unit.repeat(Math.max(0, n)));
