import { defineConfig } from 'vitest/config';

// Real WebRTC stacks (libwebrtc through @roamhq/wrtc, werift) on 127.0.0.1; kept out of `test`.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    // The counts scripts/suite-results.mjs sums up for `npm test`.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-e2e.json' },
    testTimeout: 60_000,
    hookTimeout: 20_000,
  },
});
