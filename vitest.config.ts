import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files share the local MariaDB and PostgreSQL servers; each file
    // uses databases named after itself, so files may run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
    allowOnly: !process.env.CI,
  },
});
