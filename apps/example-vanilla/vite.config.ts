import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Use the SDK's source directly, so `dev` needs no build step.
export default defineConfig({
  resolve: {
    alias: {
      '@peerstatejs/core': fileURLToPath(
        new URL('../../packages/core/src/index.ts', import.meta.url),
      ),
    },
  },
  server: { host: '127.0.0.1' },
});
