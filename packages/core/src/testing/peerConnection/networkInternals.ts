/**
 * What the fake network (`fakeNetwork.ts`) reads from a connection and drives in it, as the
 * remote peer and the wire would: ICE states, SCTP roles, data channel streams.
 * @module
 */

import type { FakeDataChannel, FakeDataChannelConfig } from '../fakeDataChannel.js';
import { driveIceState } from './connectionState.js';
import { announceDataChannel, openChannel } from './dataChannels.js';
import { ufragOf } from './sdpView.js';
import type { PeerSlots, SlotsLink } from './slots.js';

/** What the fake network reads and drives; `Link` is how it follows the connection. */
export interface NetworkInternals<Link> {
  setLink(link: Link | null): void;
  /** Stable, with both descriptions applied. */
  readonly negotiated: boolean;
  readonly localUfrag: string | null;
  readonly remoteUfrag: string | null;
  /** At least one remote candidate of the current remote ICE generation is known. */
  readonly hasRemoteCandidates: boolean;
  /** An application m-section is negotiated; `client` is the DTLS (and SCTP id) role. */
  readonly sctp: { readonly client: boolean; readonly maxMessageSize: number } | null;
  readonly dataChannels: readonly FakeDataChannel[];
  driveIceState(state: RTCIceConnectionState): void;
  /** The remote peer opened a channel: create its counterpart and fire `datachannel`. */
  announceDataChannel(config: FakeDataChannelConfig): FakeDataChannel;
  /** The SCTP stream of `channel` is usable: it opens. */
  openChannel(channel: FakeDataChannel): void;
  /** The remote peer went away: its media stopped. */
  remoteGone(): void;
}

/** The {@link NetworkInternals} of a connection; `bind` ties a link to the connection. */
export function networkInternals<Link>(
  pc: PeerSlots,
  bind: (link: Link) => SlotsLink,
): NetworkInternals<Link> {
  return {
    setLink(link) {
      pc.link = link === null ? null : bind(link);
    },
    get negotiated() {
      return (
        pc.signalingState === 'stable' && pc.currentLocal !== null && pc.currentRemote !== null
      );
    },
    get localUfrag() {
      return pc.currentLocal === null ? null : ufragOf(pc.currentLocal.parsed);
    },
    get remoteUfrag() {
      return pc.currentRemote === null ? null : ufragOf(pc.currentRemote.parsed);
    },
    get hasRemoteCandidates() {
      const remote = pc.currentRemote;
      if (remote === null) return false;
      const ufrag = ufragOf(remote.parsed);
      if (remote.parsed.sections.some((s) => s.candidates.length > 0)) return true;
      return pc.addedRemoteCandidates.some(
        (c) => c.usernameFragment === null || c.usernameFragment === ufrag,
      );
    },
    get sctp() {
      if (pc.sctpClient === null || pc.sctp === null) return null;
      return { client: pc.sctpClient, maxMessageSize: pc.sctp.maxMessageSize };
    },
    get dataChannels() {
      return pc.dataChannels;
    },
    driveIceState(state) {
      driveIceState(pc, state);
    },
    announceDataChannel(config) {
      return announceDataChannel(pc, config);
    },
    openChannel(channel) {
      openChannel(pc, channel);
    },
    remoteGone() {
      // RFC 8261 / webrtc-pc RTCDtlsTransportState: a received close_notify makes it `closed`.
      if (pc.dtlsTransport.state === 'connected') pc.dtlsTransport.driveState('closed');
      for (const transceiver of pc.transceivers) transceiver.receiver.track.simulateMute();
    },
  };
}
