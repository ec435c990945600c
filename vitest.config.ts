import { defineConfig } from 'vitest/config';

// Playwright specs (e2e/**/*.spec.ts) are run by `playwright test`, never by vitest.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
