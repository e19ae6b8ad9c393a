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
        find: /^@peerstatejs\/signaling$/,
        replacement: source('../../packages/signaling/src/index.ts'),
      },
      { find: /^@peerstatejs\/react$/, replacement: source('../../packages/react/src/index.ts') },
    ],
    dedupe: ['react', 'react-dom', 'xstate'],
  },
  server: { host: '127.0.0.1' },
});
