import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@classifyd/testkit/vitest-global-setup'],
    testTimeout: 20_000,
  },
});
