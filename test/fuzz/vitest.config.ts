import { defineConfig } from 'vitest/config';

// Each file starts the real API as a process; one file at a time leaves the second core to it.
export default defineConfig({
  test: {
    include: ['src/**/*.fuzz.test.ts'],
    globalSetup: ['@classifyd/testkit/vitest-global-setup', './src/report-setup.ts'],
    fileParallelism: false,
    hookTimeout: 60_000,
  },
});
