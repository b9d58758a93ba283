import type {} from '@classifyd/testkit/vitest-global-setup';
import { afterAll, beforeAll, inject } from 'vitest';
import { KEY_A } from './api-under-test.js';
import { FuzzSession, type PropertyOptions } from './fuzz-session.js';
import type {} from './report-setup.js';

/**
 * The session of one test file: the API starts before its properties and stops after
 * them, leaving the file's tally for the summary.
 */
export function useFuzzSession(label: string): {
  session: () => FuzzSession;
  timeout: (options?: PropertyOptions) => number;
} {
  let current: FuzzSession | undefined;
  beforeAll(async () => {
    current = await FuzzSession.open(inject('redisUrl'), inject('fuzzSettings'), label);
  });
  afterAll(async () => {
    await current?.close(inject('fuzzReportDir'));
  });
  const settings = inject('fuzzSettings');
  return {
    session: () => {
      if (!current) throw new Error('the fuzz session did not start');
      return current;
    },
    timeout: (options = {}) => FuzzSession.timeoutMs(settings, options),
  };
}

export const AUTH = { authorization: `Bearer ${KEY_A}` };
