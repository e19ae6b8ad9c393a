/**
 * The peer machine, composed from one state config per concern. Top level:
 * `idle → starting → active → closed`, or `failed`, with `rebuilding` between two connections.
 * `active` runs three regions side by side:
 * - `signaling` (negotiation/): the offer/answer exchange, one step at a time;
 * - `connection` (ice/): ICE/DTLS as the peer connection reports it;
 * - `renegotiation` (negotiation/): `idle`, `pending` or `retrying` an offer the engine asked for.
 * @module
 */
import { initialContext } from './context.js';
import { activeState } from './lifecycle/active.states.js';
import {
  closedState,
  failedState,
  idleState,
  startingState,
} from './lifecycle/lifecycle.states.js';
import { rebuildingState } from './rebuild/rebuild.states.js';
import { peerSetup } from './setup.js';

export { TIMELINE_LIMIT } from './timeline.js';

/**
 * The peer machine. Create actors with {@link createPeer} (or `createActor(peerMachine, { input })`).
 */
export const peerMachine = peerSetup.createMachine({
  id: 'peer',
  /** The initial context, from the input. */
  context: ({ input }) => initialContext(input),
  initial: 'idle',
  // The capture actor (`mediaCapture`) is spawned at the root on a peer's first capture
  // (media/capture.ts `requestCapture`): what START_MEDIA captured outlives every rebuild.
  on: { 'peer.settled': { actions: 'emitSettled' } },
  states: {
    idle: idleState,
    starting: startingState,
    active: activeState,
    rebuilding: rebuildingState,
    failed: failedState,
    closed: closedState,
  },
});
