/**
 * A faithful stand-in for Chromium's `RTCPeerConnection`, for tests in Node. It follows the
 * webrtc-pc algorithms the SDK depends on (operations chain, signaling state machine,
 * negotiation-needed flag, transceiver association, remote track processing, trickle ICE) and
 * rejects with the same `DOMException`s a browser does, so that a negotiation bug fails here
 * the way it would fail in a browser. No media or packets flow: link two connections with
 * `fakeNetwork.ts` to make them connect and carry data channel messages.
 *
 * This file is the API surface; each algorithm lives in `peerConnection/` under its webrtc-pc
 * name, over the connection's internal slots (`peerConnection/slots.ts`).
 * @module
 */

import type { PeerConnectionLike } from '../platform/types.js';
import type { FakeDataChannel } from './fakeDataChannel.js';
import { FakeEventTarget } from './fakeEventTarget.js';
import { notePeerConnection } from './fakeRegistry.js';
import type { FakeSctpTransport } from './fakeTransports.js';
import {
  closeConnection,
  type FakeConnectionState,
  failDtls,
  setConnectionState,
} from './peerConnection/connectionState.js';
import { createDataChannel, simulateRemoteDataChannel } from './peerConnection/dataChannels.js';
import { describeLocal, describeRemote } from './peerConnection/exposedDescriptions.js';
import { emitIceCandidate, restartIce } from './peerConnection/iceAgent.js';
import { updateNegotiationNeeded } from './peerConnection/negotiationNeeded.js';
import { type NetworkInternals, networkInternals } from './peerConnection/networkInternals.js';
import {
  createAnswer,
  createOffer,
  setLocalDescription,
  setRemoteDescription,
} from './peerConnection/offerAnswer.js';
import { chain } from './peerConnection/operationsChain.js';
import type { FakePeerConnectionOptions } from './peerConnection/options.js';
import { addIceCandidate } from './peerConnection/remoteCandidates.js';
import { closedError, type FakeAddedCandidate, PeerSlots } from './peerConnection/slots.js';
import { getStats } from './peerConnection/stats.js';
import {
  addTrack,
  addTransceiver,
  getReceivers,
  getSenders,
  getTransceivers,
  removeTrack,
} from './peerConnection/transceivers.js';

export type { FakeConnectionState } from './peerConnection/connectionState.js';
export type { FakePeerConnectionOptions } from './peerConnection/options.js';
export type { FakeAddedCandidate } from './peerConnection/slots.js';

/** @internal How the fake network follows a connection. */
export interface FakePeerLink {
  /** Descriptions, candidates or data channels changed. */
  changed(pc: FakePeerConnection): void;
  /** The connection was closed. */
  closed(pc: FakePeerConnection): void;
}

/** @internal What the fake network reads and drives. */
export type FakePeerInternals = NetworkInternals<FakePeerLink>;

/** The key of {@link FakePeerInternals} on a connection. */
export const peerInternals = Symbol('peerstate.fakePeerInternals');

/** Handler type of the fake peer connection's `on*` properties. */
export type FakePeerConnectionHandler<E extends Event = Event> =
  | ((this: RTCPeerConnection, ev: E) => unknown)
  | null;

/**
 * A fake `RTCPeerConnection`. Besides the standard API it has test commands
 * ({@link setConnectionState}, {@link emitIceCandidate}, {@link simulateRemoteDataChannel},
 * {@link simulateRoundTripTime}) and records {@link addedRemoteCandidates}.
 */
export class FakePeerConnection extends FakeEventTarget implements PeerConnectionLike {
  static {
    // The event handler attributes of webrtc-pc §4.4.1.6, one per event the connection fires.
    FakePeerConnection.defineEventHandlers(FakePeerConnection.prototype, [
      'negotiationneeded',
      'signalingstatechange',
      'icecandidate',
      'icecandidateerror',
      'iceconnectionstatechange',
      'icegatheringstatechange',
      'connectionstatechange',
      'track',
      'datachannel',
    ]);
  }

  /** Missing when created with `{ connectionState: false }`. */
  declare readonly connectionState?: RTCPeerConnectionState;
  /** Missing when created with `{ restartIce: false }`. */
  declare restartIce: () => void;

  declare onnegotiationneeded: FakePeerConnectionHandler;
  declare onsignalingstatechange: FakePeerConnectionHandler;
  declare onicecandidate: FakePeerConnectionHandler<RTCPeerConnectionIceEvent>;
  declare onicecandidateerror: FakePeerConnectionHandler;
  declare oniceconnectionstatechange: FakePeerConnectionHandler;
  declare onicegatheringstatechange: FakePeerConnectionHandler;
  declare onconnectionstatechange: FakePeerConnectionHandler;
  declare ontrack: FakePeerConnectionHandler<RTCTrackEvent>;
  declare ondatachannel: FakePeerConnectionHandler<RTCDataChannelEvent>;

  /** The options in force, defaults filled in. */
  readonly options: Readonly<Required<FakePeerConnectionOptions>>;
  /** @internal */
  readonly [peerInternals]: FakePeerInternals;

  readonly #slots: PeerSlots;

  constructor(configuration: RTCConfiguration = {}, options: FakePeerConnectionOptions = {}) {
    super();
    this.options = {
      implicitRollback: options.implicitRollback ?? true,
      negotiatesChannelsCreatedDuringDescription:
        options.negotiatesChannelsCreatedDuringDescription ?? true,
      parameterlessSetLocalDescription: options.parameterlessSetLocalDescription ?? true,
      restartIce: options.restartIce ?? true,
      connectionState: options.connectionState ?? true,
      autoGather: options.autoGather ?? true,
      descriptionMs: options.descriptionMs ?? 0,
    };
    const slots: PeerSlots = new PeerSlots(this, configuration, this.options, {
      get isClosed() {
        return slots.closed;
      },
      chain: (operation) => chain(slots, operation),
      updateNegotiationNeeded: () => updateNegotiationNeeded(slots),
      getStats: (selector) => getStats(slots, selector),
    });
    this.#slots = slots;
    // Older engines lack these members entirely, so feature detection must see them absent.
    if (this.options.connectionState) {
      Object.defineProperty(this, 'connectionState', {
        get: () => slots.connectionState,
        enumerable: true,
        configurable: true,
      });
    }
    if (this.options.restartIce) {
      Object.defineProperty(this, 'restartIce', {
        value: () => restartIce(slots),
        writable: true,
        configurable: true,
      });
    }
    this[peerInternals] = networkInternals(slots, (link: FakePeerLink) => ({
      changed: () => link.changed(this),
      closed: () => link.closed(this),
    }));
    notePeerConnection(this, true, slots.epoch);
  }

  override get fakeDescription(): string {
    return `FakePeerConnection #${this.#slots.number}`;
  }

  // --- attributes -------------------------------------------------------------------------

  get signalingState(): RTCSignalingState {
    return this.#slots.signalingState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#slots.iceConnectionState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#slots.iceGatheringState;
  }
  get localDescription(): RTCSessionDescription | null {
    return describeLocal(this.#slots, this.#slots.pendingLocal ?? this.#slots.currentLocal);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return describeLocal(this.#slots, this.#slots.currentLocal);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return describeLocal(this.#slots, this.#slots.pendingLocal);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return describeRemote(this.#slots.pendingRemote ?? this.#slots.currentRemote);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return describeRemote(this.#slots.currentRemote);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return describeRemote(this.#slots.pendingRemote);
  }
  /** `null` until a remote description says whether the peer trickles. */
  get canTrickleIceCandidates(): boolean | null {
    return (this.#slots.pendingRemote ?? this.#slots.currentRemote) === null ? null : true;
  }
  get sctp(): FakeSctpTransport | null {
    return this.#slots.sctp;
  }
  /** Every candidate `addIceCandidate` accepted, in order (end-of-candidates excluded). */
  get addedRemoteCandidates(): readonly FakeAddedCandidate[] {
    return this.#slots.addedRemoteCandidates;
  }

  /** As `RTCPeerConnection.getConfiguration`, following the spec. */
  getConfiguration(): RTCConfiguration {
    return { ...this.#slots.configuration };
  }

  /** As `RTCPeerConnection.setConfiguration`, following the spec. */
  setConfiguration(configuration: RTCConfiguration = {}): void {
    if (this.#slots.closed) throw closedError();
    this.#slots.configuration = { ...configuration };
  }

  // --- offer/answer (peerConnection/offerAnswer.ts) ---------------------------------------

  /** As `RTCPeerConnection.createOffer`, following the spec. */
  createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    return createOffer(this.#slots, options);
  }

  /** As `RTCPeerConnection.createAnswer`, following the spec. */
  createAnswer(_options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit> {
    return createAnswer(this.#slots);
  }

  // A rest parameter, so that `length` is 0 as WebIDL gives an engine whose description is
  // optional: detection reads it to tell engines that need the legacy entry's shim.
  setLocalDescription(...[description]: [RTCLocalSessionDescriptionInit?]): Promise<void> {
    return setLocalDescription(this.#slots, description);
  }

  /** As `RTCPeerConnection.setRemoteDescription`, following the spec. */
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return setRemoteDescription(this.#slots, description);
  }

  /** As `RTCPeerConnection.addIceCandidate`, following the spec. */
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return addIceCandidate(this.#slots, candidate);
  }

  // --- media (peerConnection/transceivers.ts) ---------------------------------------------

  /** As `RTCPeerConnection.addTrack`, following the spec. */
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    return addTrack(this.#slots, track, ...streams);
  }

  /** As `RTCPeerConnection.removeTrack`, following the spec. */
  removeTrack(sender: RTCRtpSender): void {
    removeTrack(this.#slots, sender);
  }

  /** As `RTCPeerConnection.addTransceiver`, following the spec. */
  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init: RTCRtpTransceiverInit = {},
  ): RTCRtpTransceiver {
    return addTransceiver(this.#slots, trackOrKind, init);
  }

  /** As `RTCPeerConnection.getSenders`, following the spec. */
  getSenders(): RTCRtpSender[] {
    return getSenders(this.#slots);
  }

  /** As `RTCPeerConnection.getReceivers`, following the spec. */
  getReceivers(): RTCRtpReceiver[] {
    return getReceivers(this.#slots);
  }

  /** As `RTCPeerConnection.getTransceivers`, following the spec. */
  getTransceivers(): RTCRtpTransceiver[] {
    return getTransceivers(this.#slots);
  }

  // --- data channels, stats, close --------------------------------------------------------

  /** As `RTCPeerConnection.createDataChannel`, following the spec. */
  createDataChannel(label: string, init: RTCDataChannelInit = {}): RTCDataChannel {
    return createDataChannel(this.#slots, label, init);
  }

  /** As `RTCPeerConnection.getStats`, following the spec. */
  getStats(selector: MediaStreamTrack | null = null): Promise<RTCStatsReport> {
    return getStats(this.#slots, selector);
  }

  /**
   * webrtc-pc §4.4.1.6 close: everything moves to closed *without* firing events, pending
   * operations never settle, transceivers stop and receiver tracks end silently.
   */
  close(): void {
    const slots = this.#slots;
    if (slots.closed) return;
    closeConnection(slots);
    notePeerConnection(this, false, slots.epoch);
    const link = slots.link;
    slots.link = null;
    link?.closed();
  }

  // --- test commands ----------------------------------------------------------------------

  /**
   * Test command: sets `connectionState` and the matching `iceConnectionState` (`connecting` ↔
   * `checking`) and fires their change events, as the ICE agent would. Use it on a connection
   * that is not linked to a fake network.
   */
  setConnectionState(state: FakeConnectionState): void {
    setConnectionState(this.#slots, state);
  }

  /**
   * Test command: the DTLS transport fails (a fatal alert, or an engine giving up on it after a
   * long outage, as Firefox does) while ICE carries on: `connectionState` becomes and stays
   * `failed` with `iceConnectionState` unchanged, the SCTP transport closes, data channels fail
   * and remote tracks mute. No ICE restart revives it; only a new peer connection does. The
   * remote side notices nothing (as Chromium facing a Firefox whose DTLS died).
   */
  failDtls(): void {
    failDtls(this.#slots);
  }

  /**
   * Test command: fires `icecandidate` for `init` (defaults: the first m-section and the current
   * local ufrag) or, for `null`, completes gathering and fires the end-of-candidates event.
   */
  emitIceCandidate(init: RTCIceCandidateInit | null): void {
    emitIceCandidate(this.#slots, init);
  }

  /**
   * Test command: the remote peer created a (non-negotiated) data channel. Fires
   * `datachannel` with an open channel, then its `open`.
   */
  simulateRemoteDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    return simulateRemoteDataChannel(this.#slots, label, init);
  }

  /**
   * Test command: the connection's data channels are lost to negotiation, as Firefox loses one
   * created while a description operation runs: no later offer has an application m-section
   * (and no `negotiationneeded` fires for them) until another channel is created.
   */
  simulateLostDataChannels(): void {
    this.#slots.dataChannelCreated = false;
  }

  /** Test command: the `currentRoundTripTime` (seconds) `getStats` reports. */
  simulateRoundTripTime(seconds: number): void {
    this.#slots.roundTripTime = seconds;
  }
}

/** A factory of unlinked fake connections that remembers what it created. */
export interface FakePeerConnectionFactoryLog {
  (configuration?: RTCConfiguration): FakePeerConnection;
  /** Every connection created so far, oldest first. */
  readonly created: readonly FakePeerConnection[];
}

/**
 * A factory usable as the SDK's `peerConnection` option when no network is needed; drive each
 * connection with its test commands (`setConnectionState`, `emitIceCandidate`, …).
 */
export function createFakePeerConnectionFactory(
  options?: FakePeerConnectionOptions,
): FakePeerConnectionFactoryLog {
  const created: FakePeerConnection[] = [];
  const factory = (configuration: RTCConfiguration = {}): FakePeerConnection => {
    const pc = new FakePeerConnection(configuration, options);
    created.push(pc);
    return pc;
  };
  return Object.assign(factory, { created });
}
