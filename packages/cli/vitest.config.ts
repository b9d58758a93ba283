import { defineConfig } from 'vitest/config';

// The integration test starts the three real apps (built dist/) against the Redis that the
// testkit global setup provides, and runs the built CLI as a child process.
export default defineConfig({
  test: {
    globalSetup: ['@classifyd/testkit/vitest-global-setup'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
