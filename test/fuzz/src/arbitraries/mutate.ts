import fc from 'fast-check';
import { ABSENT, extraFields, hostileNumber, hostileValue, RawJson } from './json.js';
import { numberish, stringOfLength, unicodeText } from './strings.js';

/** Lengths around the limits the schemas set (1, 10, 50, 200, 255, 256, 512, 1000, 2000, 2048, 3000). */
const EDGE_LENGTHS = [
  0, 1, 2, 9, 10, 11, 49, 50, 51, 99, 100, 101, 200, 201, 255, 256, 257, 512, 513, 1000, 1001,
];
const LONG_EDGE_LENGTHS = [2000, 2001, 2048, 2049, 3000, 3001, 100_000];

export interface MutationContext {
  /** How often a field is changed: a few cases stay valid, most are wrong in one or many ways. */
  rate: number;
  /** Strings that mean something to the API (real ids of both projects, forged ids). */
  ids: fc.Arbitrary<string>;
  /** Near misses for fields with a grammar of their own, by field name. */
  special: Record<string, fc.Arbitrary<unknown>>;
}

function nearMiss(value: unknown, ctx: MutationContext, field: string | undefined): fc.Arbitrary<unknown> {
  const special = field === undefined ? undefined : ctx.special[field];
  const generic = genericNearMiss(value, ctx);
  return special ? fc.oneof({ weight: 2, arbitrary: special }, { weight: 1, arbitrary: generic }) : generic;
}

function genericNearMiss(value: unknown, ctx: MutationContext): fc.Arbitrary<unknown> {
  if (typeof value === 'string') {
    return fc.oneof(
      fc.constantFrom(...EDGE_LENGTHS).chain(stringOfLength),
      fc.constantFrom(...LONG_EDGE_LENGTHS).chain(stringOfLength),
      unicodeText(),
      ctx.ids,
      numberish,
      fc.constantFrom(value.toUpperCase(), value.toLowerCase(), ` ${value}`, `${value} `, `${value}\0`),
      fc.constant(null),
    );
  }
  if (typeof value === 'number') {
    return fc.oneof(
      hostileNumber,
      fc.constantFrom(value - 1, value + 1, -value, value + 0.5, String(value), null),
    );
  }
  if (typeof value === 'boolean') return fc.constantFrom(!value, 'true', 'false', 0, 1, null, [], {});
  return hostileValue;
}

/**
 * A valid JSON template mutated field by field: each field kept, changed to a near miss
 * (edge lengths, other ids, wrong case), replaced by any hostile value, or left out; arrays
 * resized past their limits; extra fields added. Shrinks towards the template.
 */
export function mutated(template: unknown, ctx: MutationContext, field?: string): fc.Arbitrary<unknown> {
  const change = Math.max(1, Math.round(ctx.rate * 100));
  const keep = Math.max(1, 100 - change);
  if (Array.isArray(template)) {
    const item = template[0];
    return fc.oneof(
      { weight: keep, arbitrary: fc.tuple(...template.map((t) => mutated(t, ctx, field))) },
      {
        weight: change,
        arbitrary: item === undefined ? hostileValue : fc.array(mutated(item, ctx, field), { maxLength: 60 }),
      },
      { weight: change, arbitrary: fc.oneof(fc.constant([]), hostileValue) },
    );
  }
  if (template !== null && typeof template === 'object' && !(template instanceof RawJson)) {
    const fields = Object.fromEntries(
      Object.entries(template).map(([key, value]) => [
        key,
        fc.oneof(
          { weight: keep * 4, arbitrary: mutated(value, ctx, key) },
          { weight: change, arbitrary: fc.constant(ABSENT) },
        ),
      ]),
    );
    const withExtras = fc
      .tuple(fc.record(fields), fc.option(extraFields, { freq: Math.max(2, Math.round(1 / ctx.rate)) }))
      .map(([object, extra]) => (extra ? { ...extra, ...object } : object));
    return fc.oneof({ weight: keep, arbitrary: withExtras }, { weight: change, arbitrary: hostileValue });
  }
  return fc.oneof(
    { weight: keep, arbitrary: fc.constant(template) },
    { weight: change * 2, arbitrary: nearMiss(template, ctx, field) },
    { weight: change, arbitrary: hostileValue },
  );
}

type Path = Array<string | number>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);

/** Every field and item of a template, by path (the root left out). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const children: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i): [number, unknown] => [i, v])
    : isObject(value)
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value);
}

/** A copy of `value` with the node at `path` replaced (ABSENT: removed). */
function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === ABSENT) copy.splice(key as number, 1);
    else copy[key as number] = setAt(copy[key as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === ABSENT) delete copy[key as string];
  else copy[key as string] = setAt(copy[key as string], rest, replacement);
  return copy;
}

/**
 * A valid template with exactly one field changed (a near miss, any hostile value, left
 * out, an array resized, extra fields beside it): the answer then tests that one field, and
 * a value that passes validation reaches the code behind it.
 */
export function oneFieldChanged(template: unknown, ctx: MutationContext): fc.Arbitrary<unknown> {
  const fieldOf = (path: Path) => [...path].reverse().find((k): k is string => typeof k === 'string');
  // Fields with a grammar of their own (URLs, page ranges, languages) are drawn three times as often.
  const paths = pathsOf(template).flatMap((path) => {
    const field = fieldOf(path);
    return field !== undefined && field in ctx.special && typeof getAt(template, path) !== 'object'
      ? [path, path, path]
      : [path];
  });
  // Unbiased: fast-check favours the first of a list, and the last fields matter as much.
  return fc.noBias(fc.constantFrom(...paths)).chain((path) => {
    const current = getAt(template, path);
    const field = fieldOf(path);
    const options: Array<fc.WeightedArbitrary<unknown>> = [
      { weight: 4, arbitrary: nearMiss(current, ctx, field) },
      { weight: 1, arbitrary: hostileValue },
      { weight: 1, arbitrary: fc.constant(ABSENT) },
    ];
    if (Array.isArray(current) && current.length > 0) {
      options.push({ weight: 2, arbitrary: fc.array(mutated(current[0], ctx, field), { maxLength: 60 }) });
    }
    if (isObject(current)) {
      options.push({ weight: 2, arbitrary: extraFields.map((extra) => ({ ...extra, ...current })) });
    }
    return fc.oneof(...options).map((value) => setAt(template, path, value));
  });
}
