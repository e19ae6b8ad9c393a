import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/__tests__/**/*.test.ts'],
    environment: 'node',
    // The counts scripts/suite-results.mjs sums up for `npm test` (and turbo caches as output).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // A budget for a loaded 2-core machine (a whole `npm test` with other work running), not a
    // measure of speed: waits inside the tests are for events and states and end when they hold.
    testTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/__tests__/**', 'src/index.ts', 'src/testing/index.ts', 'src/**/types.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
