import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Use the SDK's sources directly, so `dev` needs no build step.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@peerstate\/core$/, replacement: source('../../packages/core/src/index.ts') },
      {
        find: /^@peerstate\/core\/sdp$/,
        replacement: source('../../packages/core/src/sdp/index.ts'),
      },
      { find: /^@peerstate\/react$/, replacement: source('../../packages/react/src/index.ts') },
      {
        find: /^@peerstate\/signaling$/,
        replacement: source('../../packages/signaling/src/index.ts'),
      },
    ],
    dedupe: ['react', 'react-dom', 'xstate'],
  },
  server: { host: '127.0.0.1' },
});
