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
import type { PeerInternalEvent } from '../types.js';

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

/*
 * `pc.statesChanged`, once per change. A connect fires ~11 state events per peer (signaling,
 * ICE gathering, ICE connection, connection, and each DTLS and SCTP transport's `statechange`),
 * and several report what an earlier one already did: the transports change with the
 * connection, and Chromium updates the ICE and connection states together. Each event the
 * machine takes is a full XState macrostep (#22: ~0.1–0.2 ms of main thread, ~20 KiB), which
 * the engine's next event waits behind; so an event is only sent when something a transition
 * reads from it, or reads from the connection beside it, differs from the last one sent.
 */

/** Per connection: what the last `pc.statesChanged` sent for it said. */
const lastSent = new WeakMap<object, string>();

/**
 * Sends `pc.statesChanged` for `pc` unless it would repeat the last one sent for it: the four
 * states (the event), and which DTLS transports exist and are `closed` or `failed` (what
 * `connectionClosedUnderneath` and `transportFailed` read from the connection).
 */
export function sendStatesChanged(
  pc: PeerConnectionLike,
  send: (event: PeerInternalEvent) => void,
): void {
  const states = readPeerConnectionStates(pc);
  const dtls = dtlsTransportsOf(pc).map(({ state }) =>
    /^(closed|failed)$/.test(state) ? state : '',
  );
  const key = [...Object.values(states), ...dtls].join();
  if (lastSent.get(pc) === key) return;
  lastSent.set(pc, key);
  send({ type: 'pc.statesChanged', states });
}

/**
 * Reports every transport `statechange` as `pc.statesChanged` (`sendStatesChanged`: once
 * per change). Transports appear as descriptions are applied, so each signaling state change
 * looks for new ones.
 */
export const transportEvents = fromCallback<EventObject, { readonly pc: PeerConnectionLike }>(
  ({ input: { pc }, sendBack }) => {
    const watched = new Set<Transport>();
    const changed = () => sendStatesChanged(pc, sendBack);
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
