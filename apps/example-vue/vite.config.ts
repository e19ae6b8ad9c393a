import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Use the SDK's sources directly, so `dev` needs no build step.
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: [
      { find: /^@peerstatejs\/core$/, replacement: source('../../packages/core/src/index.ts') },
      {
        find: /^@peerstatejs\/signaling$/,
        replacement: source('../../packages/signaling/src/index.ts'),
      },
      { find: /^@peerstatejs\/vue$/, replacement: source('../../packages/vue/src/index.ts') },
    ],
    dedupe: ['vue', 'xstate'],
  },
  server: { host: '127.0.0.1' },
});
