import { type ParseArgsConfig, parseArgs } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

import { UsageError } from './exit-codes.js';

/** Checks shared by every command's flags; each message names the flag and what to give. */

export type OutputFormat = 'table' | 'json' | 'csv';
/** Where the service is when no flag says: from the environment, read only by main.ts. */
export interface ArgDefaults {
  baseUrl: string;
  apiKey: string;
}

const FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

export function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url "${value}" is not a URL; e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--base-url "${value}" must start with http:// or https://`);
  }
  return value.replace(/\/+$/, '');
}

export function checkFormat(value: string | undefined): OutputFormat | undefined {
  if (value === undefined) return undefined;
  if (!FORMATS.includes(value as OutputFormat)) {
    throw new UsageError(`--format "${value}" is not one of ${FORMATS.join(', ')}`);
  }
  return value as OutputFormat;
}

export function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = 1e9,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${name} "${value}" must be a whole number from ${min}${max < 1e9 ? ` to ${max}` : ''}`,
    );
  }
  return n;
}

export function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${name} "${value}" must be a positive number of seconds`);
  }
  return n;
}

/** node:util parseArgs with strict flags, its complaint turned into a usage error. */
export function strictArgs<T extends FlagOptions>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ')} (see classifyd --help)`);
  }
}
