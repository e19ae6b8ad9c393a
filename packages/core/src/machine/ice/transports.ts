/**
 * The DTLS and SCTP transports under a peer connection. `close()` fires no event on the peer
 * connection itself (webrtc-pc §4.4.1.6), so a connection closed behind the machine's back, or
 * the remote's end closed without a bye, shows only here: the remote's `close_notify` turns our
 * DTLS transport `closed` (Chromium: within milliseconds, ICE goes `disconnected` ~5 s later),
 * and Chromium fires `statechange` on the SCTP transport of a connection closed locally.
 * @module
 */
import { type EventObject, fromCallback } from 'xstate';
import type { PeerConnectionLike } from '../../platform/types.js';
import { readPeerConnectionStates } from '../peerConnectionStates.js';

type Transport = RTCDtlsTransport | RTCSctpTransport;

/** Every distinct DTLS transport of the connection, then its SCTP transport. */
function transportsOf(pc: PeerConnectionLike): Transport[] {
  const sctp = (pc as { sctp?: RTCSctpTransport | null }).sctp;
  const all = [...pc.getSenders(), ...pc.getReceivers(), sctp].map((t) => t?.transport);
  return [...new Set([...all, sctp])].filter((t): t is Transport => t != null);
}

/** The DTLS transports, each once. */
export const dtlsTransportsOf = (pc: PeerConnectionLike) =>
  transportsOf(pc).filter((t): t is RTCDtlsTransport => 'iceTransport' in t);

/**
 * This connection is closed, by us behind the machine's back or at the remote's end (a DTLS
 * transport `closed`: only a `close_notify` does that while the connection is open).
 */
export const connectionClosedUnderneath = (pc: PeerConnectionLike) =>
  pc.signalingState === 'closed' || dtlsTransportsOf(pc).some((t) => t.state === 'closed');

/**
 * Reports every transport `statechange` as `pc.statesChanged`. Transports appear as
 * descriptions are applied, so each signaling state change looks for new ones.
 */
export const transportEvents = fromCallback<EventObject, { readonly pc: PeerConnectionLike }>(
  ({ input: { pc }, sendBack }) => {
    const watched = new Set<Transport>();
    const changed = () =>
      sendBack({ type: 'pc.statesChanged', states: readPeerConnectionStates(pc) });
    const watch = () => {
      for (const t of transportsOf(pc)) {
        if (!watched.has(t)) t.addEventListener('statechange', changed);
        watched.add(t);
      }
    };
    watch();
    pc.addEventListener('signalingstatechange', watch);
    return () => {
      pc.removeEventListener('signalingstatechange', watch);
      for (const t of watched) t.removeEventListener('statechange', changed);
    };
  },
);
