// The steps every scenario file drives its pages with (`page.call(...)` runs `window.e2e[...]`).

import { randomUUID } from 'node:crypto';

/** Budget of one wait inside a page: sized for a loaded 2-core machine. */
export const WAIT_MS = 15_000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the page's peer `name` meets `until` (see `Condition` in src/peers.ts). */
export const wait = (page, name, until, timeoutMs = WAIT_MS) =>
  page.call('wait', { name, until, timeoutMs });

export const summary = (page, name) => page.call('summary', { name });

/** a → b → a on `chat`, with non-ASCII payloads; returns the milliseconds it took. */
export async function roundTrip(pa, pb) {
  const started = Date.now();
  const ping = `ping ${randomUUID()} ✓ ünïcödé`;
  await pa.call('sendData', { name: 'a', label: 'chat', data: ping });
  await pb.call('waitData', { name: 'b', label: 'chat', data: ping, timeoutMs: WAIT_MS });
  const pong = `pong ${randomUUID()} 🛰️`;
  await pb.call('sendData', { name: 'b', label: 'chat', data: pong });
  await pa.call('waitData', { name: 'a', label: 'chat', data: pong, timeoutMs: WAIT_MS });
  return Date.now() - started;
}
