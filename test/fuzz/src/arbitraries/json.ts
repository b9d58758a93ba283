import fc from 'fast-check';
import { hostileString, longString } from './strings.js';

/**
 * JSON text that JSON.stringify cannot make: number literals past double range, deep
 * nesting too big to hold as a value in a test, duplicate keys.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text.length > 80
      ? `RawJson(${this.text.slice(0, 40)}... ${this.text.length} chars)`
      : this.text;
  }
}

/** A field left out of an object. */
export const ABSENT: unique symbol = Symbol('absent');

/** JSON.stringify, plus RawJson written as is and ABSENT fields left out. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === ABSENT ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== ABSENT)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MAX_VALUE,
  1e21,
  1e-7,
];

/** Numbers JSON can carry, and literals that parse to Infinity or lose precision. */
export const hostileNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '1e999',
        '-1e999',
        '1E400',
        '123456789012345678901234567890',
        '0.0000000000000000000001',
        '-0.0',
      )
      .map((t) => new RawJson(t)),
  },
);

/** `[[[...]]]` or `{"a":{"a":...}}` nested `depth` deep, as raw text. */
export function deepNesting(depth: number, kind: 'array' | 'object'): RawJson {
  return kind === 'array'
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`);
}

export const deepValue: fc.Arbitrary<RawJson> = fc
  .tuple(
    fc.constantFrom(64, 1000, 5000, 20_000, 100_000),
    fc.constantFrom<'array' | 'object'>('array', 'object'),
  )
  .map(([depth, kind]) => deepNesting(depth, kind));

const scalar: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any JSON value a field might get instead of what it wants: wrong types, sizes, nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }) },
    { weight: 1, arbitrary: deepValue },
    { weight: 1, arbitrary: longString(10_000, 300_000) },
    { weight: 1, arbitrary: fc.array(fc.constant(0), { minLength: 1000, maxLength: 20_000 }) },
  ),
})).value;

/** Extra fields an object did not ask for; `__proto__` and friends included. */
export const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(
    hostileString,
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'project_id', 'status', 'created_at'),
  ),
  hostileValue,
  { maxKeys: 3 },
);
