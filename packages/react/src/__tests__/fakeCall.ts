import { createFakeCall, resetFakeRegistry } from '@peerstatejs/core/testing';

/** Two peers' options over in-memory signaling and a fake network (core's `createFakeCall`). */
export function fakeCall(): ReturnType<typeof createFakeCall> {
  resetFakeRegistry();
  return createFakeCall();
}
