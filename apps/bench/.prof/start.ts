import { createInMemorySignalingPair, createPeer } from '@peerstatejs/core';
import { createFakeNetwork } from '@peerstatejs/core/testing';
const network = createFakeNetwork();
const N = 2000;
for (const round of [0, 1, 2]) {
  const t0 = performance.now();
  const actors = [];
  for (let i = 0; i < N; i++) {
    const [l] = createInMemorySignalingPair();
    const a = createPeer({ signaling: l, polite: false, peerConnection: network.factory('a' + round + i), dev: false });
    a.start();
    actors.push(a);
  }
  const t1 = performance.now();
  for (const a of actors) a.stop();
  console.log(`create+start ${((t1 - t0) / N * 1000).toFixed(0)} us per actor`);
}
const t0 = performance.now();
for (let i = 0; i < N; i++) { const [l] = createInMemorySignalingPair(); network.factory('z' + i)({}); }
console.log(`fake pc alone ${((performance.now() - t0) / N * 1000).toFixed(0)} us`);
process.exit(0);
