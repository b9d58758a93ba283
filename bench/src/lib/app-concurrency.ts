import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The default WORKER_CONCURRENCY of a worker app, read from its env schema
 * (apps/<app>/src/env.ts), so that the raw baseline runs with the same concurrency.
 */
export function defaultConcurrency(app: 'parse-worker' | 'classify-worker'): number {
  const path = `${REPO_ROOT}apps/${app}/src/env.ts`;
  const source = readFileSync(path, 'utf8');
  const match = /WORKER_CONCURRENCY:\s*envFields\.positiveInt\((\d+)\)/.exec(source);
  if (!match) {
    throw new Error(
      `cannot find the default WORKER_CONCURRENCY in ${path}; update bench/src/lib/app-concurrency.ts`,
    );
  }
  return Number(match[1]);
}
