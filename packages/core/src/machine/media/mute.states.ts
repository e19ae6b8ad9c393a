/**
 * The `mute` region of `active`: after every negotiation (a rebuild's first among them, whose
 * mids are new) the remote is told again what this peer muted (by the media controls, when
 * installed: `media/controls.ts`). A region of its own because a
 * parallel state's own handlers run only when none of its regions takes the event, and the
 * negotiation regions take `peer.negotiated`.
 * @module
 */
import { peerSetup } from '../setup.js';

export const muteRegion = peerSetup.createStateConfig({
  initial: 'following',
  states: {
    following: {
      on: { 'peer.negotiated': { actions: 'mediaControlsOnNegotiated' } },
    },
  },
});
