import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // OCR tests start Tesseract threads (about half a second each) on a shared two-core machine.
    testTimeout: 30_000,
  },
});
