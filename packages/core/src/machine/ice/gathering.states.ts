/**
 * The `gathering` region: whether this connection has gathered (and so sent) any local candidate. `stalled`
 * (after {@link GATHERING_STALL_MS} with both descriptions set and none sent) is a state the view
 * shows (`gatheringStalled`), not a silent wait. The start-up case that led here (#23) is
 * avoided by the first-offer hold (negotiation/signaling.states.ts); this makes any other case
 * visible. A new connection (a rebuild) starts the region again.
 * @module
 */
import { peerSetup } from '../setup.js';
import { GATHERING_STALL_MS } from './gathering.js';

export { GATHERING_STALL_MS };

// Candidates are read from the local description (engines add each gathered one to it), not
// from `pc.iceCandidate`: that event is the connection's to send, and a region that took it
// would keep it from the `active` handler that signals it.
export const gatheringRegion = peerSetup.createStateConfig({
  initial: 'nothingSent',
  states: {
    nothingSent: {
      always: { guard: 'hasLocalCandidate', target: 'sent' },
      on: { 'peer.negotiated': 'negotiatedNothingSent' },
    },
    negotiatedNothingSent: {
      always: { guard: 'hasLocalCandidate', target: 'sent' },
      after: { gatheringStallTimeout: 'stalled' },
    },
    stalled: {
      entry: { type: 'record', params: { region: 'gathering', state: 'stalled' } },
      always: { guard: 'hasLocalCandidate', target: 'sent' },
    },
    sent: {},
  },
});
