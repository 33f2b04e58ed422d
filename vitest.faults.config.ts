import { defineConfig } from 'vitest/config';

/**
 * The long fault-injection and load suites (issue 9): each starts the services it breaks
 * (its own Redis, PostgreSQL cluster, Temporal dev server or worker process) so that stopping
 * them never disturbs anything else on the machine. Run on demand with the `npm run faults:*`
 * scripts; the short ones live in test/integration and run in CI.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/support/quietTemporal.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
  },
});
