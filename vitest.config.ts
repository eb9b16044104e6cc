import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/global-setup.ts'],
    // Browser and multi-process tests on a busy two-core machine: generous limits, so only a hang fails.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Two cores here: two test files at a time, each in its own database.
    maxWorkers: 2,
    fileParallelism: true,
    pool: 'forks',
  },
});
