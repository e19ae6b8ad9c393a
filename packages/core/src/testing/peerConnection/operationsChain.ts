/**
 * webrtc-pc §4.4.1.2 "chain an operation": the connection's `[[Operations]]` queue.
 * @module
 */

import { updateNegotiationNeeded } from './negotiationNeeded.js';
import { closedError, type PeerSlots } from './slots.js';

/** webrtc-pc §4.4.1.2 "chain an operation": one operation at a time, in call order. */
export function chain<T>(pc: PeerSlots, operation: () => Promise<T>): Promise<T> {
  if (pc.closed) return Promise.reject(closedError());
  return new Promise<T>((resolve, reject) => {
    const run = (): void => {
      operation().then(
        (value) => settleOperation(pc, () => resolve(value)),
        (error: unknown) => settleOperation(pc, () => reject(error)),
      );
    };
    pc.operations.push(run);
    if (pc.operations.length === 1) run();
  });
}

function settleOperation(pc: PeerSlots, settle: () => void): void {
  // A closed connection abandons its operations: their promises never settle.
  if (pc.closed) return;
  settle();
  pc.operations.shift();
  const next = pc.operations[0];
  if (next !== undefined) {
    next();
    return;
  }
  if (pc.updateNegotiationNeededOnEmptyChain) {
    pc.updateNegotiationNeededOnEmptyChain = false;
    updateNegotiationNeeded(pc);
  }
}
