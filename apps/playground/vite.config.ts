import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Use the SDK's sources directly, so `dev` needs no build step.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@peerstatejs\/core$/, replacement: source('../../packages/core/src/index.ts') },
      {
        find: /^@peerstatejs\/core\/sdp$/,
        replacement: source('../../packages/core/src/sdp/index.ts'),
      },
      // The recorder and the stats sampler too: `npm run dev` on a fresh clone has no dist/.
      {
        find: /^@peerstatejs\/core\/recorder$/,
        replacement: source('../../packages/core/src/recorder/index.ts'),
      },
      {
        find: /^@peerstatejs\/core\/stats$/,
        replacement: source('../../packages/core/src/stats/index.ts'),
      },
      { find: /^@peerstatejs\/react$/, replacement: source('../../packages/react/src/index.ts') },
      {
        find: /^@peerstatejs\/signaling$/,
        replacement: source('../../packages/signaling/src/index.ts'),
      },
    ],
    dedupe: ['react', 'react-dom', 'xstate'],
  },
  server: { host: '127.0.0.1' },
});
