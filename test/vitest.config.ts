import { defineConfig } from 'vitest/config';

// End-to-end: each file starts the three real apps as processes, so files run one at
// a time on a 2-core machine and get generous timeouts.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['@classifyd/testkit/vitest-global-setup'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
