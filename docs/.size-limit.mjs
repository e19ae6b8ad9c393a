// size-limit budgets for the published packages, minified + gzipped, measured on their built
// `dist/` (run `pnpm build` first; turbo does it before `test`). `pnpm --filter @peerstatejs/docs size`.
//
// The budgets of what an app ships are below the two libraries people compare us with (measured
// the same way, last two entries, no limit): simple-peer 9.11.1 (29.58 kB) and PeerJS 1.5.5
// (31.51 kB), both of which ship everything in one bundle. The "every export" entry is level with
// simple-peer. The SDP inspection helpers are a separate entry (`@peerstatejs/core/sdp`, used by
// debugging UIs, not by the machine) and are not counted.
// Keep the README's figures in step when a budget moves.

const core = '../packages/core/dist/index.js';
const react = '../packages/react/dist/index.js';
const vue = '../packages/vue/dist/index.js';

export default [
  {
    name: '@peerstatejs/core (xstate excluded)',
    path: core,
    ignore: ['xstate'],
    gzip: true,
    limit: '17.5 kB',
  },
  {
    name: '@peerstatejs/core + xstate',
    path: core,
    gzip: true,
    // Every export of the main entry bundled (no app ships them all: every error class, the
    // message builders, BroadcastChannel). 29.54 kB with rebuilds in: level with simple-peer
    // (29.58 kB), below PeerJS (31.51 kB). The budget leaves room for fixes; what an app ships is
    // the tree-shaken entry below, whose budget is below both.
    limit: '30 kB',
  },
  {
    name: '@peerstatejs/core: createPeer + in-memory signaling + peerView, with xstate (tree-shaken)',
    path: core,
    import: '{ createPeer, createInMemorySignalingPair, peerView }',
    gzip: true,
    // Must stay below simple-peer (29.58 kB) and PeerJS (31.51 kB); measured 28.95 kB.
    limit: '29.5 kB',
  },
  {
    name: '@peerstatejs/react (core, xstate, react excluded; @xstate/react included)',
    path: react,
    ignore: ['@peerstatejs/core', 'xstate', 'react', 'react-dom', 'react/jsx-runtime'],
    gzip: true,
    limit: '2.5 kB',
  },
  {
    name: '@peerstatejs/vue (core, xstate, vue excluded)',
    path: vue,
    ignore: ['@peerstatejs/core', 'xstate', 'vue'],
    gzip: true,
    limit: '1 kB',
  },
  // Comparison only, no budget.
  {
    name: 'comparison: simple-peer 9.11.1 (its self-contained browser build simplepeer.min.js, re-minified)',
    path: 'node_modules/simple-peer/simplepeer.min.js',
    gzip: true,
  },
  {
    name: 'comparison: peerjs 1.5.5 (ESM build with its dependencies, bundled)',
    path: 'node_modules/peerjs/dist/bundler.mjs',
    gzip: true,
  },
];
