/**
 * A faithful stand-in for Chromium's `RTCPeerConnection`, for tests in Node. It follows the
 * webrtc-pc algorithms the SDK depends on (operations chain, signaling state machine,
 * negotiation-needed flag, transceiver association, remote track processing, trickle ICE) and
 * rejects with the same `DOMException`s a browser does, so that a negotiation bug fails here
 * the way it would fail in a browser. No media or packets flow: link two connections with
 * `fakeNetwork.ts` to make them connect and carry data channel messages.
 * @module
 */

import type { PeerConnectionLike } from '../platform/types.js';
import { domError, rtcError } from './domError.js';
import { FakeDataChannel, type FakeDataChannelConfig } from './fakeDataChannel.js';
import {
  FakeMediaStreamTrackEvent,
  FakeRtcDataChannelEvent,
  FakeRtcPeerConnectionIceEvent,
  FakeRtcTrackEvent,
} from './fakeEvents.js';
import { FakeEventTarget } from './fakeEventTarget.js';
import { FakeIceCandidate, parseIceCandidate } from './fakeIceCandidate.js';
import { FakeMediaStream, type FakeTrackKind } from './fakeMedia.js';
import { notePeerConnection, registryEpoch } from './fakeRegistry.js';
import { type FakeRtpOwner, FakeRtpSender, FakeRtpTransceiver, rtpState } from './fakeRtp.js';
import {
  buildSdp,
  type FakeSdp,
  type FakeSdpDirection,
  type FakeSdpInit,
  type FakeSdpMsid,
  type FakeSdpSection,
  type FakeSdpSectionInit,
  FakeSdpSyntaxError,
  parseSdp,
} from './fakeSdp.js';
import { FakeDtlsTransport, FakeIceTransport, FakeSctpTransport } from './fakeTransports.js';
import { nextTask, queueTask } from './queueTask.js';

/**
 * Behaviour switches. Every option defaults to what current browsers do; turn one off to
 * emulate an older engine when testing the SDK's fallbacks.
 */
export interface FakePeerConnectionOptions {
  /**
   * `setRemoteDescription(offer)` in `have-local-offer` rolls the local offer back first
   * (default `true`). `false`: it rejects with `InvalidStateError`, as before Chrome 80.
   */
  readonly implicitRollback?: boolean;
  /**
   * `setLocalDescription()` without a description creates one (default `true`). `false`: it
   * rejects with `TypeError`, and a description without `sdp` fails to parse.
   */
  readonly parameterlessSetLocalDescription?: boolean;
  /** `restartIce()` exists (default `true`). `false`: the instance has no such method. */
  readonly restartIce?: boolean;
  /** `connectionState` exists (default `true`). `false`: only `iceConnectionState` is reported. */
  readonly connectionState?: boolean;
  /**
   * ICE candidates are gathered by themselves after `setLocalDescription` (default `true`).
   * `false`: nothing is gathered until `emitIceCandidate` is called.
   */
  readonly autoGather?: boolean;
}

/** What a remote candidate was recorded as by `addIceCandidate`. */
export interface FakeAddedCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
}

/** The states {@link FakePeerConnection.setConnectionState} accepts (`close()` closes). */
export type FakeConnectionState = Exclude<RTCPeerConnectionState, 'closed'>;

/** @internal How the fake network follows a connection. */
export interface FakePeerLink {
  /** Descriptions, candidates or data channels changed. */
  changed(pc: FakePeerConnection): void;
  /** The connection was closed. */
  closed(pc: FakePeerConnection): void;
}

/** @internal What the fake network reads and drives. */
export interface FakePeerInternals {
  setLink(link: FakePeerLink | null): void;
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

/** The key of {@link FakePeerInternals} on a connection. */
export const peerInternals = Symbol('peerstate.fakePeerInternals');

type SectionOwner = FakeRtpTransceiver | 'data' | null;

interface LocalDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  readonly parsed: FakeSdp;
  readonly init: FakeSdpInit;
}

interface RemoteDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  readonly parsed: FakeSdp;
}

interface CreatedOffer {
  readonly sdp: string;
  readonly init: FakeSdpInit;
  readonly owners: ReadonlyMap<string, SectionOwner>;
}

interface TransceiverSnapshot {
  readonly mid: string | null;
  readonly firedDirection: RTCRtpTransceiverDirection | null;
  readonly remoteStreams: FakeMediaStream[];
  readonly remoteTrackIds: string[];
  readonly stopping: boolean;
}

interface RollbackSnapshot {
  readonly transceivers: ReadonlyMap<FakeRtpTransceiver, TransceiverSnapshot>;
  readonly appMid: string | null;
}

/** Remote-track changes of one description, applied after `signalingstatechange`. */
interface TrackChanges {
  readonly mute: FakeRtpTransceiver[];
  readonly remove: Array<[FakeMediaStream, MediaStreamTrack]>;
  readonly add: Array<[FakeMediaStream, MediaStreamTrack]>;
  readonly events: FakeRtpTransceiver[];
}

/** Handler type of the fake peer connection's `on*` properties. */
export type FakePeerConnectionHandler<E extends Event = Event> =
  | ((this: RTCPeerConnection, ev: E) => unknown)
  | null;

const DEFAULT_MAX_MESSAGE_SIZE = 262144;
let connectionCount = 0;

const sends = (d: string | null): boolean => d === 'sendrecv' || d === 'sendonly';
const receives = (d: string | null): boolean => d === 'sendrecv' || d === 'recvonly';

function combine(send: boolean, receive: boolean): FakeSdpDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** A direction seen from the other end. */
function reverse(direction: FakeSdpDirection): FakeSdpDirection {
  return combine(receives(direction), sends(direction));
}

function intersect(a: string, b: string): FakeSdpDirection {
  return combine(sends(a) && sends(b), receives(a) && receives(b));
}

function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function randomFingerprint(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function closedError(): DOMException {
  return domError('InvalidStateError', "The RTCPeerConnection's signalingState is 'closed'.");
}

/** `RTCSessionDescription`. */
class FakeSessionDescription implements RTCSessionDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;

  constructor(type: RTCSdpType, sdp: string) {
    this.type = type;
    this.sdp = sdp;
  }

  toJSON(): RTCSessionDescriptionInit {
    return { type: this.type, sdp: this.sdp };
  }
}

/**
 * A fake `RTCPeerConnection`. Besides the standard API it has test commands
 * ({@link setConnectionState}, {@link emitIceCandidate}, {@link simulateRemoteDataChannel},
 * {@link simulateRoundTripTime}) and records {@link addedRemoteCandidates}.
 */
export class FakePeerConnection extends FakeEventTarget implements PeerConnectionLike {
  /** Missing when created with `{ connectionState: false }`. */
  declare readonly connectionState?: RTCPeerConnectionState;
  /** Missing when created with `{ restartIce: false }`. */
  declare restartIce: () => void;

  /** The options in force, defaults filled in. */
  readonly options: Readonly<Required<FakePeerConnectionOptions>>;
  /** @internal */
  readonly [peerInternals]: FakePeerInternals;

  readonly #number = ++connectionCount;
  readonly #epoch = registryEpoch();
  #configuration: RTCConfiguration;
  #closed = false;
  #signalingState: RTCSignalingState = 'stable';
  #iceConnectionState: RTCIceConnectionState = 'new';
  #connectionState: RTCPeerConnectionState = 'new';
  #iceGatheringState: RTCIceGatheringState = 'new';

  #currentLocal: LocalDescription | null = null;
  #pendingLocal: LocalDescription | null = null;
  #currentRemote: RemoteDescription | null = null;
  #pendingRemote: RemoteDescription | null = null;
  #lastOffer: CreatedOffer | null = null;
  #lastAnswer: { readonly sdp: string; readonly init: FakeSdpInit } | null = null;
  #rollback: RollbackSnapshot | null = null;

  #transceivers: FakeRtpTransceiver[] = [];
  readonly #dataChannels: FakeDataChannel[] = [];
  #dataChannelCreated = false;
  #appMid: string | null = null;
  #sctpClient: boolean | null = null;
  #remoteMaxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  readonly #remoteStreams = new Map<string, FakeMediaStream>();
  #nextMid = 0;

  readonly #sessionId = String(Math.floor(Math.random() * 1e15) + 1e15);
  #sessionVersion = 1;
  readonly #fingerprint = randomFingerprint();
  #newIceCredentials: { readonly ufrag: string; readonly pwd: string } | null = null;
  readonly #iceCredentialsToReplace = new Set<string>();
  #gatheringUfrag: string | null = null;
  readonly #localCandidates = new Map<string, FakeIceCandidate[]>();
  readonly #gatheringComplete = new Set<string>();
  readonly #addedRemoteCandidates: FakeAddedCandidate[] = [];
  #candidatePort: number;

  readonly #operations: Array<() => void> = [];
  #updateNegotiationNeededOnEmptyChain = false;
  #negotiationNeeded = false;
  #negotiationNeededEventId = 0;

  readonly #iceTransport = new FakeIceTransport();
  readonly #dtlsTransport = new FakeDtlsTransport(this.#iceTransport);
  #sctp: FakeSctpTransport | null = null;
  /** Set by {@link failDtls}: nothing but a new connection recovers. */
  #dtlsFailed = false;
  #link: FakePeerLink | null = null;
  #everConnected = false;
  #roundTripTime = 0.01;
  #dataChannelsOpened = 0;

  readonly #owner: FakeRtpOwner;

  constructor(configuration: RTCConfiguration = {}, options: FakePeerConnectionOptions = {}) {
    super();
    this.#configuration = { ...configuration };
    this.options = {
      implicitRollback: options.implicitRollback ?? true,
      parameterlessSetLocalDescription: options.parameterlessSetLocalDescription ?? true,
      restartIce: options.restartIce ?? true,
      connectionState: options.connectionState ?? true,
      autoGather: options.autoGather ?? true,
    };
    this.#candidatePort = 50000 + ((this.#number * 16) % 10000);
    const self = this;
    this.#owner = {
      get isClosed() {
        return self.#closed;
      },
      chain: (operation) => this.#chain(operation),
      updateNegotiationNeeded: () => this.#updateNegotiationNeeded(),
      getStats: (selector) => this.getStats(selector),
    };
    // Older engines lack these members entirely, so feature detection must see them absent.
    if (this.options.connectionState) {
      Object.defineProperty(this, 'connectionState', {
        get: () => this.#connectionState,
        enumerable: true,
        configurable: true,
      });
    }
    if (this.options.restartIce) {
      Object.defineProperty(this, 'restartIce', {
        value: () => this.#restartIce(),
        writable: true,
        configurable: true,
      });
    }
    this[peerInternals] = this.#createInternals();
    notePeerConnection(this, true, this.#epoch);
  }

  override get fakeDescription(): string {
    return `FakePeerConnection #${this.#number}`;
  }

  // --- attributes -------------------------------------------------------------------------

  get signalingState(): RTCSignalingState {
    return this.#signalingState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#iceConnectionState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#iceGatheringState;
  }
  get localDescription(): RTCSessionDescription | null {
    return this.#describeLocal(this.#pendingLocal ?? this.#currentLocal);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#describeLocal(this.#currentLocal);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#describeLocal(this.#pendingLocal);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return this.#describeRemote(this.#pendingRemote ?? this.#currentRemote);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#describeRemote(this.#currentRemote);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#describeRemote(this.#pendingRemote);
  }
  /** `null` until a remote description says whether the peer trickles. */
  get canTrickleIceCandidates(): boolean | null {
    return (this.#pendingRemote ?? this.#currentRemote) === null ? null : true;
  }
  get sctp(): FakeSctpTransport | null {
    return this.#sctp;
  }
  /** Every candidate `addIceCandidate` accepted, in order (end-of-candidates excluded). */
  get addedRemoteCandidates(): readonly FakeAddedCandidate[] {
    return this.#addedRemoteCandidates;
  }

  get onnegotiationneeded(): FakePeerConnectionHandler {
    return this.getHandler('negotiationneeded');
  }
  set onnegotiationneeded(value: FakePeerConnectionHandler) {
    this.setHandler('negotiationneeded', value);
  }
  get onsignalingstatechange(): FakePeerConnectionHandler {
    return this.getHandler('signalingstatechange');
  }
  set onsignalingstatechange(value: FakePeerConnectionHandler) {
    this.setHandler('signalingstatechange', value);
  }
  get onicecandidate(): FakePeerConnectionHandler<RTCPeerConnectionIceEvent> {
    return this.getHandler('icecandidate');
  }
  set onicecandidate(value: FakePeerConnectionHandler<RTCPeerConnectionIceEvent>) {
    this.setHandler('icecandidate', value);
  }
  get onicecandidateerror(): FakePeerConnectionHandler {
    return this.getHandler('icecandidateerror');
  }
  set onicecandidateerror(value: FakePeerConnectionHandler) {
    this.setHandler('icecandidateerror', value);
  }
  get oniceconnectionstatechange(): FakePeerConnectionHandler {
    return this.getHandler('iceconnectionstatechange');
  }
  set oniceconnectionstatechange(value: FakePeerConnectionHandler) {
    this.setHandler('iceconnectionstatechange', value);
  }
  get onicegatheringstatechange(): FakePeerConnectionHandler {
    return this.getHandler('icegatheringstatechange');
  }
  set onicegatheringstatechange(value: FakePeerConnectionHandler) {
    this.setHandler('icegatheringstatechange', value);
  }
  get onconnectionstatechange(): FakePeerConnectionHandler {
    return this.getHandler('connectionstatechange');
  }
  set onconnectionstatechange(value: FakePeerConnectionHandler) {
    this.setHandler('connectionstatechange', value);
  }
  get ontrack(): FakePeerConnectionHandler<RTCTrackEvent> {
    return this.getHandler('track');
  }
  set ontrack(value: FakePeerConnectionHandler<RTCTrackEvent>) {
    this.setHandler('track', value);
  }
  get ondatachannel(): FakePeerConnectionHandler<RTCDataChannelEvent> {
    return this.getHandler('datachannel');
  }
  set ondatachannel(value: FakePeerConnectionHandler<RTCDataChannelEvent>) {
    this.setHandler('datachannel', value);
  }

  /** As `RTCPeerConnection.getConfiguration`, following the spec. */
  getConfiguration(): RTCConfiguration {
    return { ...this.#configuration };
  }

  /** As `RTCPeerConnection.setConfiguration`, following the spec. */
  setConfiguration(configuration: RTCConfiguration = {}): void {
    if (this.#closed) throw closedError();
    this.#configuration = { ...configuration };
  }

  // --- offer/answer -----------------------------------------------------------------------

  /** As `RTCPeerConnection.createOffer`, following the spec. */
  createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    if (!this.#closed) this.#applyLegacyOfferOptions(options);
    return this.#chain(async () => {
      await nextTask();
      const offer = this.#buildOffer(options.iceRestart === true);
      this.#lastOffer = offer;
      return { type: 'offer', sdp: offer.sdp };
    });
  }

  /** As `RTCPeerConnection.createAnswer`, following the spec. */
  createAnswer(_options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit> {
    return this.#chain(async () => {
      await nextTask();
      // webrtc-pc §4.4.1.6: an answer needs a remote offer to answer.
      if (
        this.#signalingState !== 'have-remote-offer' &&
        this.#signalingState !== 'have-local-pranswer'
      ) {
        throw domError(
          'InvalidStateError',
          `Cannot create an answer in signalingState '${this.#signalingState}'`,
        );
      }
      const answer = this.#buildAnswer();
      this.#lastAnswer = answer;
      return { type: 'answer', sdp: answer.sdp };
    });
  }

  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    if (description === undefined && !this.options.parameterlessSetLocalDescription) {
      return Promise.reject(
        new TypeError(
          "Failed to execute 'setLocalDescription' on 'RTCPeerConnection': 1 argument required, but only 0 present.",
        ),
      );
    }
    return this.#chain(async () => {
      await nextTask();
      const state = this.#signalingState;
      // webrtc-pc §4.4.1.5: without a type, the signaling state picks offer or answer.
      const type =
        description?.type ??
        (state === 'stable' || state === 'have-local-offer' || state === 'have-remote-pranswer'
          ? 'offer'
          : 'answer');
      const sdp = description?.sdp ?? '';
      if (type === 'rollback') {
        this.#applyRollback();
        return;
      }
      if (type === 'offer') {
        if (state !== 'stable' && state !== 'have-local-offer') {
          throw domError('InvalidStateError', `Cannot set a local offer in state '${state}'`);
        }
        if (sdp === '') {
          this.#requireImplicitDescription();
          this.#lastOffer = this.#buildOffer(false);
        } else if (sdp !== this.#lastOffer?.sdp) {
          // JSEP §5.4: the offer must be the last one createOffer returned, unmodified.
          throw domError(
            'InvalidModificationError',
            'The SDP does not match the previously generated SDP for this type',
          );
        }
        this.#applyLocalOffer(this.#lastOffer);
        return;
      }
      if (state !== 'have-remote-offer' && state !== 'have-local-pranswer') {
        throw domError('InvalidStateError', `Cannot set a local ${type} in state '${state}'`);
      }
      if (sdp === '') {
        this.#requireImplicitDescription();
        this.#lastAnswer = this.#buildAnswer();
      } else if (sdp !== this.#lastAnswer?.sdp) {
        throw domError(
          'InvalidModificationError',
          'The SDP does not match the previously generated SDP for this type',
        );
      }
      this.#applyLocalAnswer(type, this.#lastAnswer);
    });
  }

  /** As `RTCPeerConnection.setRemoteDescription`, following the spec. */
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#chain(async () => {
      await nextTask();
      const type = description.type;
      if (type === 'rollback') {
        this.#applyRollback();
        return;
      }
      const parsed = this.#parseRemote(description.sdp ?? '');
      const state = this.#signalingState;
      if (type === 'offer') {
        if (state === 'have-local-offer') {
          // webrtc-pc §4.4.1.6: modern engines roll the local offer back (glare handling).
          if (!this.options.implicitRollback) {
            throw domError('InvalidStateError', "Cannot set a remote offer in 'have-local-offer'");
          }
          this.#validateRemote('offer', parsed);
          this.#applyRollback();
        } else if (state !== 'stable' && state !== 'have-remote-offer') {
          throw domError('InvalidStateError', `Cannot set a remote offer in state '${state}'`);
        }
        this.#validateRemote('offer', parsed);
        this.#applyRemoteOffer({ type, sdp: description.sdp ?? '', parsed });
        return;
      }
      if (state !== 'have-local-offer' && state !== 'have-remote-pranswer') {
        throw domError('InvalidStateError', `Cannot set a remote ${type} in state '${state}'`);
      }
      this.#validateRemote('answer', parsed);
      this.#applyRemoteAnswer({ type, sdp: description.sdp ?? '', parsed });
    });
  }

  /** As `RTCPeerConnection.addIceCandidate`, following the spec. */
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    const init = candidate ?? {};
    const text = init.candidate ?? '';
    const sdpMid = init.sdpMid ?? null;
    const sdpMLineIndex = init.sdpMLineIndex ?? null;
    // webrtc-pc §4.4.1.6 addIceCandidate step 3: a candidate must name its m-section.
    if (text !== '' && sdpMid === null && sdpMLineIndex === null) {
      return Promise.reject(
        new TypeError('Candidate missing values for both sdpMid and sdpMLineIndex'),
      );
    }
    return this.#chain(async () => {
      await nextTask();
      const remote = this.#pendingRemote ?? this.#currentRemote;
      if (remote === null) {
        throw domError('InvalidStateError', 'The remote description was null');
      }
      const sections = remote.parsed.sections;
      let index: number | null = null;
      if (sdpMid !== null) {
        index = sections.findIndex((s, i) => (s.mid ?? String(i)) === sdpMid);
        if (index === -1) throw domError('OperationError', `Unknown sdpMid '${sdpMid}'`);
      } else if (sdpMLineIndex !== null) {
        if (sdpMLineIndex >= sections.length) {
          throw domError('OperationError', `sdpMLineIndex ${sdpMLineIndex} is out of range`);
        }
        index = sdpMLineIndex;
      }
      if (index !== null && this.#isRejectedSection(remote.parsed, index)) return;
      const ufrag = init.usernameFragment ?? parseIceCandidate(text)?.usernameFragment ?? null;
      if (ufrag !== null && !this.#remoteHasUfrag(ufrag, index)) {
        throw domError('OperationError', `Unknown ufrag '${ufrag}'`);
      }
      if (text === '') return;
      if (parseIceCandidate(text) === null) {
        throw domError('OperationError', 'Error processing ICE candidate');
      }
      const mid = sdpMid ?? sections[index ?? 0]?.mid ?? null;
      this.#addedRemoteCandidates.push({
        candidate: text,
        sdpMid: mid,
        sdpMLineIndex: index,
        usernameFragment: ufrag,
      });
      this.#link?.changed(this);
    });
  }

  // --- media ------------------------------------------------------------------------------

  /** As `RTCPeerConnection.addTrack`, following the spec. */
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    if (this.#closed) throw closedError();
    const kind = this.#trackKind(track);
    const streamIds = [...new Set(streams.map((s) => s.id))];
    const live = this.#transceivers.filter((t) => !t[rtpState].stopped);
    if (live.some((t) => t.sender.track === track)) {
      throw domError('InvalidAccessError', 'A sender already exists for the track.');
    }
    // webrtc-pc §4.4.2 addTrack: reuse a transceiver that never sent and has no track.
    const reusable = live.find(
      (t) =>
        t[rtpState].kind === kind &&
        t.sender.track === null &&
        !t[rtpState].stopping &&
        !t[rtpState].hasSent,
    );
    if (reusable !== undefined) {
      const state = reusable[rtpState];
      reusable.sender[rtpState].track = track;
      reusable.sender[rtpState].streamIds = streamIds;
      state.createdByRemote = false;
      if (state.direction === 'recvonly') state.direction = 'sendrecv';
      if (state.direction === 'inactive') state.direction = 'sendonly';
      this.#updateNegotiationNeeded();
      return reusable.sender;
    }
    const transceiver = new FakeRtpTransceiver(this.#owner, {
      kind,
      direction: 'sendrecv',
      track,
      streamIds,
      createdByAddTrack: true,
      createdByRemote: false,
    });
    this.#transceivers.push(transceiver);
    this.#updateNegotiationNeeded();
    return transceiver.sender;
  }

  /** As `RTCPeerConnection.removeTrack`, following the spec. */
  removeTrack(sender: RTCRtpSender): void {
    if (this.#closed) throw closedError();
    const transceiver = this.#transceivers.find((t) => t.sender === sender);
    if (transceiver === undefined || !(sender instanceof FakeRtpSender)) {
      throw domError('InvalidAccessError', 'The sender was not created by this peer connection.');
    }
    const state = transceiver[rtpState];
    if (state.stopping || sender.track === null) return;
    sender[rtpState].track = null;
    if (state.direction === 'sendrecv') state.direction = 'recvonly';
    else if (state.direction === 'sendonly') state.direction = 'inactive';
    this.#updateNegotiationNeeded();
  }

  /** As `RTCPeerConnection.addTransceiver`, following the spec. */
  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init: RTCRtpTransceiverInit = {},
  ): RTCRtpTransceiver {
    if (this.#closed) throw closedError();
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = track === null ? trackOrKind : track.kind;
    if (kind !== 'audio' && kind !== 'video') {
      throw new TypeError(`Invalid media kind '${String(kind)}'`);
    }
    const direction = init.direction ?? 'sendrecv';
    if (direction === 'stopped') throw new TypeError("Invalid direction 'stopped'");
    const transceiver = new FakeRtpTransceiver(this.#owner, {
      kind,
      direction,
      track,
      streamIds: [...new Set((init.streams ?? []).map((s) => s.id))],
      createdByAddTrack: false,
      createdByRemote: false,
    });
    this.#transceivers.push(transceiver);
    this.#updateNegotiationNeeded();
    return transceiver;
  }

  /** As `RTCPeerConnection.getSenders`, following the spec. */
  getSenders(): RTCRtpSender[] {
    return this.#transceivers.filter((t) => !t[rtpState].stopped).map((t) => t.sender);
  }

  /** As `RTCPeerConnection.getReceivers`, following the spec. */
  getReceivers(): RTCRtpReceiver[] {
    return this.#transceivers.filter((t) => !t[rtpState].stopped).map((t) => t.receiver);
  }

  /** As `RTCPeerConnection.getTransceivers`, following the spec. */
  getTransceivers(): RTCRtpTransceiver[] {
    return [...this.#transceivers];
  }

  // --- data channels ----------------------------------------------------------------------

  /** As `RTCPeerConnection.createDataChannel`, following the spec. */
  createDataChannel(label: string, init: RTCDataChannelInit = {}): RTCDataChannel {
    if (this.#closed) throw closedError();
    const config = this.#validateDataChannel(label, init);
    const channel = new FakeDataChannel(config);
    if (config.id === null && this.#sctpClient !== null) {
      channel.driveId(this.#allocateStreamId(this.#sctpClient));
    }
    if (this.#sctp !== null) channel.driveMaxMessageSize(this.#sctp.maxMessageSize);
    this.#dataChannels.push(channel);
    const first = !this.#dataChannelCreated;
    this.#dataChannelCreated = true;
    // webrtc-pc §6.1: only the first channel can require an application m-section.
    if (first) this.#updateNegotiationNeeded();
    if (this.#link !== null) this.#link.changed(this);
    else if (this.#sctp?.state === 'connected') queueTask(() => this.#openChannel(channel));
    return channel;
  }

  // --- ICE --------------------------------------------------------------------------------

  #restartIce(): void {
    if (this.#closed) return;
    // webrtc-pc §4.4.1.6 restartIce: the next offer must replace every credential in use.
    for (const description of [this.#currentLocal, this.#pendingLocal]) {
      const ufrag = description === null ? null : ufragOf(description.parsed);
      if (ufrag !== null) this.#iceCredentialsToReplace.add(ufrag);
    }
    this.#updateNegotiationNeeded();
  }

  // --- stats ------------------------------------------------------------------------------

  /** As `RTCPeerConnection.getStats`, following the spec. */
  async getStats(selector: MediaStreamTrack | null = null): Promise<RTCStatsReport> {
    if (selector !== null) {
      const known = this.#transceivers.some(
        (t) => t.sender.track === selector || t.receiver.track === selector,
      );
      if (!known) throw domError('InvalidAccessError', 'The track is not used by this connection');
    }
    await nextTask();
    const timestamp = performance.timeOrigin + performance.now();
    const report = new Map<string, Record<string, unknown>>();
    const add = (entry: Record<string, unknown> & { id: string }): void => {
      report.set(entry.id, { timestamp, ...entry });
    };
    if (selector === null) {
      add({
        id: 'P',
        type: 'peer-connection',
        dataChannelsOpened: this.#dataChannelsOpened,
        dataChannelsClosed: this.#dataChannels.filter((c) => c.readyState === 'closed').length,
      });
      add({
        id: 'T01',
        type: 'transport',
        dtlsState: this.#dtlsTransport.state,
        iceState: this.#iceTransport.state,
        iceLocalUsernameFragment: this.#localUfrag() ?? '',
        selectedCandidatePairId: this.#everConnected ? 'CP01' : undefined,
        bytesSent: 0,
        bytesReceived: 0,
      });
      if (this.#everConnected) {
        add({
          id: 'CP01',
          type: 'candidate-pair',
          transportId: 'T01',
          localCandidateId: 'L01',
          remoteCandidateId: 'R01',
          state: this.#iceConnectionState === 'failed' ? 'failed' : 'succeeded',
          nominated: true,
          currentRoundTripTime: this.#roundTripTime,
          totalRoundTripTime: this.#roundTripTime,
          responsesReceived: 1,
          availableOutgoingBitrate: 3_000_000,
        });
      }
    }
    for (const t of this.#transceivers) {
      const state = t[rtpState];
      if (state.mid === null || state.stopped) continue;
      if (receives(state.firedDirection) && (selector === null || selector === t.receiver.track)) {
        add({
          id: `IT${state.mid}`,
          type: 'inbound-rtp',
          kind: state.kind,
          mid: state.mid,
          trackIdentifier: t.receiver.track.id,
          transportId: 'T01',
          packetsReceived: 0,
          bytesReceived: 0,
          packetsLost: 0,
          jitter: 0,
        });
      }
      const track = t.sender.track;
      if (
        sends(state.currentDirection) &&
        track !== null &&
        (selector === null || selector === track)
      ) {
        add({
          id: `OT${state.mid}`,
          type: 'outbound-rtp',
          kind: state.kind,
          mid: state.mid,
          transportId: 'T01',
          packetsSent: 0,
          bytesSent: 0,
        });
      }
    }
    // A Map is what browsers return (RTCStatsReport is a maplike); only the DOM typing differs.
    return report as unknown as RTCStatsReport;
  }

  // --- close ------------------------------------------------------------------------------

  /**
   * webrtc-pc §4.4.1.6 close: everything moves to closed *without* firing events, pending
   * operations never settle, transceivers stop and receiver tracks end silently.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signalingState = 'closed';
    for (const transceiver of this.#transceivers) {
      const state = transceiver[rtpState];
      state.stopping = true;
      state.stopped = true;
      state.direction = 'stopped';
      state.currentDirection = 'stopped';
      transceiver.receiver.track.stop();
    }
    for (const channel of this.#dataChannels) channel.driveAbort();
    this.#sctp?.driveState('closed', false);
    this.#dtlsTransport.driveState('closed', false);
    this.#iceTransport.driveState('closed', false);
    this.#iceConnectionState = 'closed';
    this.#connectionState = 'closed';
    notePeerConnection(this, false, this.#epoch);
    const link = this.#link;
    this.#link = null;
    link?.closed(this);
  }

  // --- test commands ----------------------------------------------------------------------

  /**
   * Test command: sets `connectionState` and the matching `iceConnectionState` (`connecting` ↔
   * `checking`) and fires their change events, as the ICE agent would. Use it on a connection
   * that is not linked to a fake network.
   */
  setConnectionState(state: FakeConnectionState): void {
    const ice: Record<FakeConnectionState, RTCIceConnectionState> = {
      new: 'new',
      connecting: 'checking',
      connected: 'connected',
      disconnected: 'disconnected',
      failed: 'failed',
    };
    this.#driveIceState(ice[state]);
  }

  /**
   * Test command: the DTLS transport fails (a fatal alert, or an engine giving up on it after a
   * long outage, as Firefox does) while ICE carries on: `connectionState` becomes and stays
   * `failed` with `iceConnectionState` unchanged, the SCTP transport closes, data channels fail
   * and remote tracks mute. No ICE restart revives it; only a new peer connection does. The
   * remote side notices nothing (as Chromium facing a Firefox whose DTLS died).
   */
  failDtls(): void {
    if (this.#closed || this.#dtlsFailed) return;
    this.#dtlsFailed = true;
    this.#dtlsTransport.driveState('failed');
    this.#sctp?.driveState('closed');
    for (const channel of this.#dataChannels) channel.simulateError('DTLS transport failed');
    for (const transceiver of this.#transceivers) transceiver.receiver.track.simulateMute();
    if (this.#connectionState !== 'failed') {
      this.#connectionState = 'failed';
      if (this.options.connectionState) this.dispatchEvent(new Event('connectionstatechange'));
    }
  }

  /**
   * Test command: fires `icecandidate` for `init` (defaults: the first m-section and the current
   * local ufrag) or, for `null`, completes gathering and fires the end-of-candidates event.
   */
  emitIceCandidate(init: RTCIceCandidateInit | null): void {
    if (this.#closed) return;
    if (init === null) {
      const ufrag = this.#localUfrag();
      if (ufrag !== null) this.#gatheringComplete.add(ufrag);
      this.#setGatheringState('complete');
      this.dispatchEvent(new FakeRtcPeerConnectionIceEvent(null));
      return;
    }
    const first = this.#firstBundledSection();
    const ufrag = init.usernameFragment ?? this.#localUfrag();
    const candidate = new FakeIceCandidate({
      candidate: init.candidate ?? '',
      sdpMid: init.sdpMid ?? first?.mid ?? '0',
      sdpMLineIndex: init.sdpMLineIndex ?? first?.index ?? 0,
      usernameFragment: ufrag,
    });
    if (ufrag !== null) this.#recordLocalCandidate(ufrag, candidate);
    if (this.#iceGatheringState !== 'gathering') this.#setGatheringState('gathering');
    this.dispatchEvent(new FakeRtcPeerConnectionIceEvent(candidate));
  }

  /**
   * Test command: the remote peer created a (non-negotiated) data channel. Fires
   * `datachannel` with an open channel, then its `open`.
   */
  simulateRemoteDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    if (this.#closed) throw closedError();
    return this.#announceDataChannel({
      ...this.#validateDataChannel(label, { ...init, negotiated: false }),
      id: init.id ?? this.#allocateStreamId(!(this.#sctpClient ?? false)),
    });
  }

  /** Test command: the `currentRoundTripTime` (seconds) `getStats` reports. */
  simulateRoundTripTime(seconds: number): void {
    this.#roundTripTime = seconds;
  }

  // --- operations chain -------------------------------------------------------------------

  /** webrtc-pc §4.4.1.2 "chain an operation": one operation at a time, in call order. */
  #chain<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      const run = (): void => {
        operation().then(
          (value) => this.#settleOperation(() => resolve(value)),
          (error: unknown) => this.#settleOperation(() => reject(error)),
        );
      };
      this.#operations.push(run);
      if (this.#operations.length === 1) run();
    });
  }

  #settleOperation(settle: () => void): void {
    // A closed connection abandons its operations: their promises never settle.
    if (this.#closed) return;
    settle();
    this.#operations.shift();
    const next = this.#operations[0];
    if (next !== undefined) {
      next();
      return;
    }
    if (this.#updateNegotiationNeededOnEmptyChain) {
      this.#updateNegotiationNeededOnEmptyChain = false;
      this.#updateNegotiationNeeded();
    }
  }

  // --- negotiation-needed -----------------------------------------------------------------

  /**
   * webrtc-pc §4.7.3 "update the negotiation-needed flag", as Chromium implements it: the flag
   * is set at once and the event fires from a task that first re-validates it (still the
   * latest event, operations chain empty, signaling state stable, still needed).
   */
  #updateNegotiationNeeded(): void {
    if (this.#closed || this.#signalingState !== 'stable') return;
    if (!this.#checkNegotiationNeeded()) {
      this.#negotiationNeeded = false;
      this.#negotiationNeededEventId += 1;
      return;
    }
    if (this.#negotiationNeeded) return;
    this.#negotiationNeeded = true;
    this.#queueNegotiationNeededEvent();
  }

  #queueNegotiationNeededEvent(): void {
    this.#negotiationNeededEventId += 1;
    const eventId = this.#negotiationNeededEventId;
    queueTask(() => {
      if (this.#closed || eventId !== this.#negotiationNeededEventId) return;
      if (this.#operations.length > 0) {
        // Re-checked when the chain empties; the flag is cleared so that check fires again.
        this.#negotiationNeeded = false;
        this.#updateNegotiationNeededOnEmptyChain = true;
        return;
      }
      if (this.#signalingState !== 'stable') return;
      if (!this.#checkNegotiationNeeded()) {
        this.#negotiationNeeded = false;
        return;
      }
      this.dispatchEvent(new Event('negotiationneeded'));
    });
  }

  /** webrtc-pc §4.7.3 "check if negotiation is needed". */
  #checkNegotiationNeeded(): boolean {
    if (this.#iceCredentialsToReplace.size > 0) return true;
    const local = this.#currentLocal;
    const remote = this.#currentRemote;
    if (this.#dataChannelCreated && !this.#hasNegotiatedApplication(local)) return true;
    for (const transceiver of this.#transceivers) {
      const state = transceiver[rtpState];
      if (state.stopping && !state.stopped) return true;
      if (state.stopped) continue;
      if (state.mid === null) return true;
      if (local === null || remote === null) continue;
      const section = sectionByMid(local.parsed, state.mid);
      const remoteSection = sectionByMid(remote.parsed, state.mid);
      if (section === undefined || remoteSection === undefined) continue;
      if (sends(state.direction)) {
        const negotiated = section.msids
          .map((m) => m.streamId)
          .filter((id): id is string => id !== null);
        const wanted = transceiver.sender[rtpState].streamIds;
        if (
          section.msids.length === 0 ||
          negotiated.length !== wanted.length ||
          negotiated.some((id) => !wanted.includes(id))
        ) {
          return true;
        }
      }
      if (local.type === 'offer') {
        // The remote answer's direction is reversed to represent the peer's point of view.
        if (
          section.direction !== state.direction &&
          reverse(remoteSection.direction) !== state.direction
        ) {
          return true;
        }
      } else if (
        section.direction !== intersect(state.direction, reverse(remoteSection.direction))
      ) {
        return true;
      }
    }
    return false;
  }

  #hasNegotiatedApplication(local: LocalDescription | null): boolean {
    return local?.parsed.sections.some((s) => s.kind === 'application' && s.port !== 0) ?? false;
  }

  // --- building descriptions --------------------------------------------------------------

  /** Legacy `offerToReceiveAudio/Video` (webrtc-pc §11.2), still honoured by Chromium. */
  #applyLegacyOfferOptions(options: RTCOfferOptions): void {
    const legacy: Array<[FakeTrackKind, boolean | undefined]> = [
      ['audio', options.offerToReceiveAudio],
      ['video', options.offerToReceiveVideo],
    ];
    for (const [kind, wanted] of legacy) {
      if (wanted !== true) continue;
      const ofKind = this.#transceivers.filter(
        (t) => t[rtpState].kind === kind && !t[rtpState].stopping,
      );
      if (ofKind.some((t) => receives(t[rtpState].direction))) continue;
      const sendOnly = ofKind.find((t) => t[rtpState].direction === 'sendonly');
      const inactive = ofKind.find((t) => t[rtpState].direction === 'inactive');
      if (sendOnly !== undefined) sendOnly[rtpState].direction = 'sendrecv';
      else if (inactive !== undefined) inactive[rtpState].direction = 'recvonly';
      else this.addTransceiver(kind, { direction: 'recvonly' });
    }
  }

  #freshMid(used: ReadonlySet<string>): string {
    while (used.has(String(this.#nextMid))) this.#nextMid += 1;
    const mid = String(this.#nextMid);
    this.#nextMid += 1;
    return mid;
  }

  #buildOffer(iceRestart: boolean): CreatedOffer {
    const base = (this.#pendingLocal ?? this.#pendingRemote ?? this.#currentLocal)?.parsed;
    const owners = new Map<string, SectionOwner>();
    const used = new Set<string>();
    const sections: FakeSdpSectionInit[] = [];
    const ice = this.#offerIceCredentials(iceRestart);
    const common = {
      iceUfrag: ice.ufrag,
      icePwd: ice.pwd,
      fingerprint: { algorithm: 'sha-256', value: this.#fingerprint },
      setup: 'actpass' as const,
    };
    const addSection = (mid: string, kind: string, owner: SectionOwner): void => {
      used.add(mid);
      owners.set(mid, owner);
      sections.push({ ...this.#sectionFor(mid, kind, owner, null), ...common });
    };
    base?.sections.forEach((section, index) => {
      const mid = section.mid ?? String(index);
      if (section.kind === 'application') {
        addSection(mid, section.kind, mid === this.#appMid ? 'data' : null);
        return;
      }
      const owner = this.#transceivers.find((t) => t[rtpState].mid === mid) ?? null;
      addSection(mid, section.kind, owner);
    });
    for (const transceiver of this.#transceivers) {
      const state = transceiver[rtpState];
      if (state.stopping || (state.mid !== null && used.has(state.mid))) continue;
      addSection(state.mid ?? this.#freshMid(used), state.kind, transceiver);
    }
    if (this.#dataChannelCreated && (this.#appMid === null || !used.has(this.#appMid))) {
      addSection(this.#appMid ?? this.#freshMid(used), 'application', 'data');
    }
    const init: FakeSdpInit = {
      sessionId: this.#sessionId,
      sessionVersion: this.#sessionVersion++,
      sections,
    };
    return { sdp: buildSdp(init), init, owners };
  }

  /** One m-section of a local description; `offered` is the remote offer's section. */
  #sectionFor(
    mid: string,
    kind: string,
    owner: SectionOwner,
    offered: FakeSdpSection | null,
  ): FakeSdpSectionInit {
    if (owner === 'data') {
      return { kind: 'application', mid, maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE };
    }
    const codecs = offered !== null && offered.codecs.length > 0 ? { codecs: offered.codecs } : {};
    if (owner === null || owner[rtpState].stopping || owner[rtpState].stopped) {
      // A rejected or stopped section stays in place (JSEP §5.2.2) with port 0.
      return { kind, mid, port: 0, direction: 'inactive', ...codecs };
    }
    const state = owner[rtpState];
    const direction =
      offered === null
        ? intersect(state.direction, 'sendrecv')
        : intersect(state.direction, reverse(offered.direction));
    return { kind, mid, direction, msids: this.#msidsFor(owner, direction), ...codecs };
  }

  #msidsFor(transceiver: FakeRtpTransceiver, direction: FakeSdpDirection): FakeSdpMsid[] {
    if (!sends(direction)) return [];
    const { streamIds, msidTrackId } = transceiver.sender[rtpState];
    // Chromium writes `a=msid:- <track>` for a sender without streams.
    if (streamIds.length === 0) return [{ streamId: null, trackId: msidTrackId }];
    return streamIds.map((streamId) => ({ streamId, trackId: msidTrackId }));
  }

  #buildAnswer(): { sdp: string; init: FakeSdpInit } {
    const offer = this.#pendingRemote;
    if (offer === null) throw domError('InvalidStateError', 'No remote offer to answer');
    const ice = this.#answerIceCredentials(offer.parsed);
    const remoteSetup = offer.parsed.sections.find((s) => s.port !== 0)?.setup;
    const setup = remoteSetup === 'active' ? ('passive' as const) : ('active' as const);
    const sections = offer.parsed.sections.map((section, index): FakeSdpSectionInit => {
      const mid = section.mid ?? String(index);
      const common = {
        iceUfrag: ice.ufrag,
        icePwd: ice.pwd,
        fingerprint: { algorithm: 'sha-256', value: this.#fingerprint },
        setup,
      };
      if (section.kind === 'application') {
        const owner = section.port !== 0 && mid === this.#appMid ? 'data' : null;
        return { ...this.#sectionFor(mid, 'application', owner, section), ...common };
      }
      if (section.kind !== 'audio' && section.kind !== 'video') {
        return { kind: section.kind, mid, port: 0, direction: 'inactive', ...common };
      }
      const owner =
        section.port === 0
          ? null
          : (this.#transceivers.find((t) => t[rtpState].mid === mid) ?? null);
      return { ...this.#sectionFor(mid, section.kind, owner, section), ...common };
    });
    const accepted = sections.filter((s) => s.port !== 0).map((s) => s.mid);
    const bundle = accepted.filter((mid) => offer.parsed.bundle.includes(mid));
    const init: FakeSdpInit = {
      sessionId: this.#sessionId,
      sessionVersion: this.#sessionVersion++,
      bundle,
      sections,
    };
    return { sdp: buildSdp(init), init };
  }

  /** New credentials when restarting (or never negotiated), else the ones in use. */
  #offerIceCredentials(iceRestart: boolean): { ufrag: string; pwd: string } {
    const current = this.#pendingLocal ?? this.#currentLocal;
    const inUse = current === null ? null : credentialsOf(current.parsed);
    if (inUse !== null && !iceRestart && this.#iceCredentialsToReplace.size === 0) return inUse;
    if (
      this.#newIceCredentials === null ||
      this.#iceCredentialsToReplace.has(this.#newIceCredentials.ufrag) ||
      this.#newIceCredentials.ufrag === inUse?.ufrag
    ) {
      this.#newIceCredentials = { ufrag: randomToken(4), pwd: randomToken(24) };
    }
    return this.#newIceCredentials;
  }

  /** JSEP §5.3.1: an answer to an ICE-restart offer carries new credentials too. */
  #answerIceCredentials(offer: FakeSdp): { ufrag: string; pwd: string } {
    const current = this.#currentLocal === null ? null : credentialsOf(this.#currentLocal.parsed);
    const previousRemote =
      this.#currentRemote === null ? null : ufragOf(this.#currentRemote.parsed);
    const restart = previousRemote !== null && ufragOf(offer) !== previousRemote;
    if (current !== null && !restart && this.#iceCredentialsToReplace.size === 0) return current;
    return this.#offerIceCredentials(true);
  }

  #requireImplicitDescription(): void {
    if (!this.options.parameterlessSetLocalDescription) {
      throw rtcError('Failed to parse SessionDescription.  Expect line: v=', {
        errorDetail: 'sdp-syntax-error',
        sdpLineNumber: 1,
      });
    }
  }

  #parseRemote(sdp: string): FakeSdp {
    try {
      return parseSdp(sdp);
    } catch (error) {
      if (error instanceof FakeSdpSyntaxError) {
        throw rtcError(`Failed to parse SessionDescription. ${error.message}`, {
          errorDetail: 'sdp-syntax-error',
          sdpLineNumber: error.lineNumber,
        });
      }
      throw error;
    }
  }

  /** webrtc-pc §4.4.1.5: content the engine cannot use is an InvalidAccessError. */
  #validateRemote(type: 'offer' | 'answer', parsed: FakeSdp): void {
    for (const section of parsed.sections) {
      if (section.port === 0) continue;
      if (section.iceUfrag === null || section.icePwd === null) {
        throw domError('InvalidAccessError', 'Called with SDP without ice-ufrag and ice-pwd.');
      }
      if (section.fingerprint === null) {
        throw domError('InvalidAccessError', 'Called with SDP without DTLS fingerprint.');
      }
    }
    const mids = (sdp: FakeSdp): string[] => sdp.sections.map((s, i) => s.mid ?? String(i));
    const received = mids(parsed);
    if (type === 'answer') {
      const offered = this.#pendingLocal === null ? [] : mids(this.#pendingLocal.parsed);
      if (offered.length !== received.length || offered.some((mid, i) => received[i] !== mid)) {
        throw domError(
          'InvalidAccessError',
          "The order of m-lines in answer doesn't match order in offer. Rejecting answer.",
        );
      }
      return;
    }
    const negotiated = this.#currentRemote === null ? [] : mids(this.#currentRemote.parsed);
    if (negotiated.some((mid, i) => received[i] !== mid)) {
      throw domError(
        'InvalidAccessError',
        "The order of m-lines in subsequent offer doesn't match order from previous offer/answer.",
      );
    }
  }

  // --- applying descriptions --------------------------------------------------------------

  #snapshotForRollback(): void {
    if (this.#signalingState !== 'stable') return;
    const transceivers = new Map<FakeRtpTransceiver, TransceiverSnapshot>();
    for (const t of this.#transceivers) {
      const state = t[rtpState];
      transceivers.set(t, {
        mid: state.mid,
        firedDirection: state.firedDirection,
        remoteStreams: [...state.remoteStreams],
        remoteTrackIds: [...state.remoteTrackIds],
        stopping: state.stopping,
      });
    }
    this.#rollback = { transceivers, appMid: this.#appMid };
  }

  #applyLocalOffer(offer: CreatedOffer): void {
    this.#snapshotForRollback();
    for (const [mid, owner] of offer.owners) {
      if (owner === 'data') this.#appMid = mid;
      else if (owner !== null && owner[rtpState].mid === null) owner[rtpState].mid = mid;
      if (owner !== null && owner !== 'data')
        owner.sender[rtpState].transport = this.#dtlsTransport;
      if (owner !== null && owner !== 'data')
        owner.receiver[rtpState].transport = this.#dtlsTransport;
    }
    this.#pendingLocal = {
      type: 'offer',
      sdp: offer.sdp,
      parsed: parseSdp(offer.sdp),
      init: offer.init,
    };
    this.#afterLocalCredentials(this.#pendingLocal.parsed);
    this.#setSignalingState('have-local-offer');
    this.#startGathering();
    this.#link?.changed(this);
  }

  #applyLocalAnswer(type: RTCSdpType, answer: { sdp: string; init: FakeSdpInit }): void {
    const parsed = parseSdp(answer.sdp);
    const description: LocalDescription = { type, sdp: answer.sdp, parsed, init: answer.init };
    const changes: TrackChanges = { mute: [], remove: [], add: [], events: [] };
    parsed.sections.forEach((section, index) => {
      const mid = section.mid ?? String(index);
      if (section.kind === 'application') return;
      const transceiver = this.#transceivers.find((t) => t[rtpState].mid === mid);
      if (transceiver === undefined) return;
      const state = transceiver[rtpState];
      transceiver.sender[rtpState].transport = this.#dtlsTransport;
      transceiver.receiver[rtpState].transport = this.#dtlsTransport;
      // webrtc-pc §4.4.1.5: our answer no longer receiving ends the remote track's flow.
      if (receives(state.firedDirection) && !receives(section.direction)) {
        this.#removeRemoteTrack(transceiver, changes);
      }
      if (type === 'answer') {
        state.firedDirection = section.direction;
        if (section.port === 0) this.#markStopped(transceiver);
        else {
          state.currentDirection = section.direction;
          if (sends(section.direction)) state.hasSent = true;
        }
      }
    });
    this.#afterLocalCredentials(parsed);
    if (type === 'answer') {
      this.#currentLocal = description;
      this.#currentRemote = this.#pendingRemote;
      this.#pendingLocal = null;
      this.#pendingRemote = null;
      if (this.#currentRemote !== null) this.#negotiateSctp(parsed, this.#currentRemote.parsed);
      this.#finishNegotiation('stable', changes);
    } else {
      this.#pendingLocal = description;
      this.#finishNegotiation('have-local-pranswer', changes);
    }
    this.#startGathering();
  }

  #applyRemoteOffer(offer: RemoteDescription): void {
    this.#snapshotForRollback();
    const changes: TrackChanges = { mute: [], remove: [], add: [], events: [] };
    offer.parsed.sections.forEach((section, index) => {
      const mid = section.mid ?? String(index);
      if (section.kind === 'application') {
        if (section.port !== 0) this.#appMid = mid;
        return;
      }
      if (section.kind !== 'audio' && section.kind !== 'video') return;
      let transceiver = this.#transceivers.find((t) => t[rtpState].mid === mid);
      if (transceiver === undefined && section.port !== 0) {
        // JSEP §5.10: an unassociated addTrack transceiver of the same kind takes the section.
        transceiver = receives(section.direction)
          ? this.#transceivers.find(
              (t) =>
                t[rtpState].createdByAddTrack &&
                t[rtpState].mid === null &&
                !t[rtpState].stopping &&
                t[rtpState].kind === section.kind,
            )
          : undefined;
        if (transceiver === undefined) {
          transceiver = new FakeRtpTransceiver(this.#owner, {
            kind: section.kind,
            direction: 'recvonly',
            track: null,
            streamIds: [],
            createdByAddTrack: false,
            createdByRemote: true,
          });
          this.#transceivers.push(transceiver);
        }
        transceiver[rtpState].mid = mid;
      }
      if (transceiver === undefined) return;
      transceiver.sender[rtpState].transport = this.#dtlsTransport;
      transceiver.receiver[rtpState].transport = this.#dtlsTransport;
      if (section.port === 0) {
        this.#removeRemoteTrack(transceiver, changes);
        transceiver[rtpState].stopping = true;
        transceiver[rtpState].direction = 'stopped';
        transceiver.receiver.track.stop();
        return;
      }
      this.#processRemoteTrack(transceiver, reverse(section.direction), section.msids, changes);
    });
    this.#pendingRemote = offer;
    this.#finishNegotiation('have-remote-offer', changes);
  }

  #applyRemoteAnswer(answer: RemoteDescription): void {
    const changes: TrackChanges = { mute: [], remove: [], add: [], events: [] };
    const final = answer.type === 'answer';
    answer.parsed.sections.forEach((section, index) => {
      const mid = section.mid ?? String(index);
      const transceiver = this.#transceivers.find((t) => t[rtpState].mid === mid);
      if (section.kind === 'application' || transceiver === undefined) return;
      const state = transceiver[rtpState];
      if (section.port === 0) {
        this.#removeRemoteTrack(transceiver, changes);
        if (final) this.#markStopped(transceiver);
        return;
      }
      const direction = reverse(section.direction);
      this.#processRemoteTrack(transceiver, direction, section.msids, changes);
      if (final) {
        state.currentDirection = direction;
        if (sends(direction)) state.hasSent = true;
      }
    });
    if (final) {
      this.#currentLocal = this.#pendingLocal;
      this.#currentRemote = answer;
      this.#pendingLocal = null;
      this.#pendingRemote = null;
      if (this.#currentLocal !== null)
        this.#negotiateSctp(this.#currentLocal.parsed, answer.parsed);
      this.#finishNegotiation('stable', changes);
    } else {
      this.#pendingRemote = answer;
      this.#finishNegotiation('have-remote-pranswer', changes);
    }
  }

  /** webrtc-pc §4.4.1.5 rollback: restores the state before the pending offer. */
  #applyRollback(): void {
    const state = this.#signalingState;
    if (state !== 'have-local-offer' && state !== 'have-remote-offer') {
      throw domError('InvalidStateError', `Cannot rollback in signalingState '${state}'`);
    }
    const changes: TrackChanges = { mute: [], remove: [], add: [], events: [] };
    const snapshot = this.#rollback;
    const kept: FakeRtpTransceiver[] = [];
    for (const transceiver of this.#transceivers) {
      const before = snapshot?.transceivers.get(transceiver);
      const t = transceiver[rtpState];
      if (receives(t.firedDirection) && !receives(before?.firedDirection ?? null)) {
        this.#removeRemoteTrack(transceiver, changes);
      }
      if (before === undefined) {
        // Created by the remote offer being rolled back: gone unless addTrack claimed it.
        if (t.createdByRemote) {
          transceiver.receiver.track.stop();
          continue;
        }
        t.mid = null;
      } else {
        t.mid = before.mid;
        t.firedDirection = before.firedDirection;
        t.remoteStreams = [...before.remoteStreams];
        t.remoteTrackIds = [...before.remoteTrackIds];
        if (t.stopping && !before.stopping && !t.stopped) {
          t.stopping = false;
          t.direction = 'recvonly';
        }
      }
      kept.push(transceiver);
    }
    this.#transceivers = kept;
    this.#appMid = snapshot?.appMid ?? this.#appMid;
    this.#pendingLocal = null;
    this.#pendingRemote = null;
    this.#rollback = null;
    this.#finishNegotiation('stable', changes);
  }

  /**
   * webrtc-pc §4.4.1.5 "set the associated remote streams" and "process the addition/removal
   * of a remote track". `direction` is the transceiver's receive view of the m-section.
   */
  #processRemoteTrack(
    transceiver: FakeRtpTransceiver,
    direction: FakeSdpDirection,
    msids: readonly FakeSdpMsid[],
    changes: TrackChanges,
  ): void {
    const state = transceiver[rtpState];
    if (!receives(direction)) {
      if (receives(state.firedDirection)) this.#removeRemoteTrack(transceiver, changes);
      state.firedDirection = direction;
      return;
    }
    // The remote sender no longer announces any msid: Chromium treats the track as removed.
    if (msids.length === 0 && state.remoteTrackIds.length > 0 && receives(state.firedDirection)) {
      this.#removeRemoteTrack(transceiver, changes);
      state.firedDirection = 'inactive';
      return;
    }
    const track = transceiver.receiver.track;
    const streamIds = [
      ...new Set(msids.map((m) => m.streamId).filter((id): id is string => id !== null)),
    ];
    const streams = streamIds.map((id) => this.#remoteStream(id));
    const added = streams.filter((s) => !state.remoteStreams.includes(s));
    for (const stream of state.remoteStreams) {
      if (!streams.includes(stream)) changes.remove.push([stream, track]);
    }
    for (const stream of added) changes.add.push([stream, track]);
    state.remoteStreams = streams;
    state.remoteTrackIds = msids.map((m) => m.trackId);
    if (!receives(state.firedDirection) || added.length > 0) changes.events.push(transceiver);
    state.firedDirection = direction;
  }

  #removeRemoteTrack(transceiver: FakeRtpTransceiver, changes: TrackChanges): void {
    const state = transceiver[rtpState];
    changes.mute.push(transceiver);
    for (const stream of state.remoteStreams)
      changes.remove.push([stream, transceiver.receiver.track]);
    state.remoteStreams = [];
    state.remoteTrackIds = [];
    state.firedDirection = intersect(state.firedDirection ?? 'inactive', 'sendonly');
  }

  #remoteStream(id: string): FakeMediaStream {
    let stream = this.#remoteStreams.get(id);
    if (stream === undefined) {
      stream = new FakeMediaStream([], { id });
      this.#remoteStreams.set(id, stream);
    }
    return stream;
  }

  #markStopped(transceiver: FakeRtpTransceiver): void {
    const state = transceiver[rtpState];
    state.stopping = true;
    state.stopped = true;
    state.direction = 'stopped';
    state.currentDirection = 'stopped';
    transceiver.receiver.track.stop();
  }

  /** The end of "set the session description": state, events, then negotiation-needed. */
  #finishNegotiation(next: RTCSignalingState, changes: TrackChanges): void {
    if (next === 'stable') {
      this.#rollback = null;
      // webrtc-pc §4.4.1.5: stopped transceivers disappear once their rejection is negotiated.
      this.#transceivers = this.#transceivers.filter((t) => {
        const state = t[rtpState];
        if (state.stopped) return false;
        if (state.stopping && state.mid === null) {
          state.stopped = true;
          return false;
        }
        return true;
      });
    }
    const wasNeeded = this.#negotiationNeeded;
    this.#setSignalingState(next);
    for (const transceiver of changes.mute) transceiver.receiver.track.simulateMute();
    for (const [stream, track] of changes.remove) {
      if (stream.getTrackById(track.id) === null) continue;
      stream.removeTrack(track);
      stream.dispatchEvent(new FakeMediaStreamTrackEvent('removetrack', track));
    }
    for (const [stream, track] of changes.add) {
      if (stream.getTrackById(track.id) !== null) continue;
      stream.addTrack(track);
      stream.dispatchEvent(new FakeMediaStreamTrackEvent('addtrack', track));
    }
    for (const transceiver of changes.events) {
      if (this.#closed) return;
      this.dispatchEvent(
        new FakeRtcTrackEvent({
          track: transceiver.receiver.track,
          streams: transceiver[rtpState].remoteStreams,
          receiver: transceiver.receiver,
          transceiver,
        }),
      );
    }
    if (this.#signalingState === 'stable') {
      this.#updateNegotiationNeeded();
      // webrtc-pc §4.4.1.5: still needed after this negotiation → fire again.
      if (wasNeeded && this.#negotiationNeeded) this.#queueNegotiationNeededEvent();
    }
    this.#scheduleUnmute();
    this.#link?.changed(this);
  }

  #setSignalingState(next: RTCSignalingState): void {
    if (this.#signalingState === next) return;
    this.#signalingState = next;
    this.dispatchEvent(new Event('signalingstatechange'));
  }

  /** An application section negotiated: the SCTP transport exists and ids can be chosen. */
  #negotiateSctp(local: FakeSdp, remote: FakeSdp): void {
    const localApp = local.sections.find((s) => s.kind === 'application' && s.port !== 0);
    const remoteApp = remote.sections.find((s) => s.kind === 'application' && s.port !== 0);
    if (localApp === undefined || remoteApp === undefined) return;
    // RFC 8832 §6: the DTLS client (setup:active) uses even stream ids, the server odd ones.
    this.#sctpClient = localApp.setup === 'active';
    this.#remoteMaxMessageSize = remoteApp.maxMessageSize ?? 65536;
    const maxMessageSize = Math.min(this.#remoteMaxMessageSize, DEFAULT_MAX_MESSAGE_SIZE);
    if (this.#sctp === null) {
      this.#sctp = new FakeSctpTransport(this.#dtlsTransport, maxMessageSize);
    }
    for (const channel of this.#dataChannels) {
      if (channel.id === null) channel.driveId(this.#allocateStreamId(this.#sctpClient));
      channel.driveMaxMessageSize(maxMessageSize);
    }
    if (this.#connectionState === 'connected') this.#sctpConnected();
  }

  /** SCTP comes up over a connected DTLS transport; without a network, channels open alone. */
  #sctpConnected(): void {
    if (this.#sctp === null) return;
    if (this.#sctp.state !== 'connected') this.#sctp.driveState('connected');
    if (this.#link !== null) return;
    for (const channel of this.#dataChannels) queueTask(() => this.#openChannel(channel));
  }

  #allocateStreamId(client: boolean): number {
    const used = new Set(
      this.#dataChannels.filter((c) => c.readyState !== 'closed').map((c) => c.id),
    );
    let id = client ? 0 : 1;
    while (used.has(id)) id += 2;
    return id;
  }

  // --- ICE gathering ----------------------------------------------------------------------

  #localUfrag(): string | null {
    const description = this.#pendingLocal ?? this.#currentLocal;
    return description === null ? null : ufragOf(description.parsed);
  }

  #afterLocalCredentials(parsed: FakeSdp): void {
    const ufrag = ufragOf(parsed);
    if (ufrag === null) return;
    if (this.#newIceCredentials?.ufrag === ufrag) this.#newIceCredentials = null;
    // webrtc-pc §4.4.1.5: applying fresh credentials satisfies a pending restartIce().
    if (!this.#iceCredentialsToReplace.has(ufrag)) this.#iceCredentialsToReplace.clear();
  }

  #firstBundledSection(): { mid: string; index: number } | null {
    const description = this.#pendingLocal ?? this.#currentLocal;
    if (description === null) return null;
    const index = description.parsed.sections.findIndex((s) => s.port !== 0);
    const section = description.parsed.sections[index];
    if (section === undefined) return null;
    return { mid: section.mid ?? String(index), index };
  }

  /** A new ICE generation starts gathering host candidates: `gathering`, candidates, `complete`. */
  #startGathering(): void {
    const ufrag = this.#localUfrag();
    if (ufrag === null || ufrag === this.#gatheringUfrag) return;
    this.#gatheringUfrag = ufrag;
    if (!this.options.autoGather) return;
    const current = (): boolean => !this.#closed && this.#gatheringUfrag === ufrag;
    const port = this.#candidatePort;
    this.#candidatePort += 2;
    const candidates = [
      `candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0 ufrag ${ufrag}`,
      `candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 ufrag ${ufrag}`,
    ];
    queueTask(() => {
      if (current()) this.#setGatheringState('gathering');
    });
    for (const text of candidates) {
      queueTask(() => {
        const first = this.#firstBundledSection();
        if (!current() || first === null) return;
        const candidate = new FakeIceCandidate({
          candidate: text,
          sdpMid: first.mid,
          sdpMLineIndex: first.index,
          usernameFragment: ufrag,
        });
        this.#recordLocalCandidate(ufrag, candidate);
        this.dispatchEvent(new FakeRtcPeerConnectionIceEvent(candidate));
      });
    }
    queueTask(() => {
      if (!current()) return;
      this.#gatheringComplete.add(ufrag);
      // Chromium: the state change to complete comes first, then the null candidate.
      this.#setGatheringState('complete');
      if (current()) this.dispatchEvent(new FakeRtcPeerConnectionIceEvent(null));
    });
  }

  #recordLocalCandidate(ufrag: string, candidate: FakeIceCandidate): void {
    const list = this.#localCandidates.get(ufrag) ?? [];
    list.push(candidate);
    this.#localCandidates.set(ufrag, list);
  }

  #setGatheringState(state: RTCIceGatheringState): void {
    if (this.#iceGatheringState === state) return;
    this.#iceGatheringState = state;
    this.#iceTransport.driveGatheringState(state);
    this.dispatchEvent(new Event('icegatheringstatechange'));
  }

  #isRejectedSection(sdp: FakeSdp, index: number): boolean {
    const section = sdp.sections[index];
    if (section === undefined || section.port === 0) return true;
    const mid = section.mid ?? String(index);
    const transceiver = this.#transceivers.find((t) => t[rtpState].mid === mid);
    return transceiver?.[rtpState].stopped === true;
  }

  #remoteHasUfrag(ufrag: string, index: number | null): boolean {
    return [this.#pendingRemote, this.#currentRemote].some((description) => {
      if (description === null) return false;
      const sections =
        index === null ? description.parsed.sections : [description.parsed.sections[index]];
      return sections.some((s) => s?.iceUfrag === ufrag);
    });
  }

  // --- connection state -------------------------------------------------------------------

  #driveIceState(ice: RTCIceConnectionState): void {
    if (this.#closed || ice === 'closed') return;
    const connected = ice === 'connected' || ice === 'completed';
    if (ice === 'checking' && this.#dtlsTransport.state === 'new') {
      this.#dtlsTransport.driveState('connecting');
    }
    this.#iceTransport.driveState(ice);
    if (connected) {
      this.#iceTransport.driveSelectedPair(
        this.#iceTransport.getSelectedCandidatePair() ?? this.#candidatePair(),
      );
    }
    if (this.#iceConnectionState !== ice) {
      this.#iceConnectionState = ice;
      this.dispatchEvent(new Event('iceconnectionstatechange'));
    }
    if (connected && !this.#dtlsFailed && this.#dtlsTransport.state !== 'connected') {
      this.#dtlsTransport.driveState('connected');
    }
    const derived: Record<Exclude<RTCIceConnectionState, 'closed'>, RTCPeerConnectionState> = {
      new: 'new',
      checking: 'connecting',
      connected: 'connected',
      completed: 'connected',
      disconnected: 'disconnected',
      failed: 'failed',
    };
    // A failed transport makes the connection failed, whatever ICE does (as in the spec).
    const next = this.#dtlsFailed ? 'failed' : derived[ice];
    if (this.#connectionState !== next) {
      this.#connectionState = next;
      if (this.options.connectionState) this.dispatchEvent(new Event('connectionstatechange'));
    }
    if (connected && !this.#dtlsFailed) {
      this.#everConnected = true;
      this.#sctpConnected();
      this.#scheduleUnmute();
    }
  }

  #candidatePair(): RTCIceCandidatePair {
    const first = this.#firstBundledSection();
    const local = this.#localCandidates.get(this.#localUfrag() ?? '')?.[0];
    const remote = this.#addedRemoteCandidates.at(-1);
    const fallback = (address: string): FakeIceCandidate =>
      new FakeIceCandidate({
        candidate: `candidate:1 1 udp 2122260223 ${address} 9 typ host generation 0`,
        sdpMid: first?.mid ?? '0',
        sdpMLineIndex: first?.index ?? 0,
      });
    return {
      local: local ?? fallback('127.0.0.1'),
      remote: remote === undefined ? fallback('127.0.0.2') : new FakeIceCandidate(remote),
    };
  }

  #openChannel(channel: FakeDataChannel): void {
    if (this.#closed || channel.readyState !== 'connecting') return;
    this.#dataChannelsOpened += 1;
    channel.driveOpen();
  }

  /** Receiver tracks unmute once connected and the remote sends, as when RTP arrives. */
  #scheduleUnmute(): void {
    if (this.#connectionState !== 'connected') return;
    queueTask(() => {
      if (this.#closed || this.#connectionState !== 'connected') return;
      for (const transceiver of this.#transceivers) {
        if (receives(transceiver[rtpState].firedDirection))
          transceiver.receiver.track.simulateUnmute();
      }
    });
  }

  #announceDataChannel(config: FakeDataChannelConfig): FakeDataChannel {
    const channel = new FakeDataChannel(config);
    if (this.#sctp !== null) channel.driveMaxMessageSize(this.#sctp.maxMessageSize);
    this.#dataChannels.push(channel);
    this.#dataChannelsOpened += 1;
    // webrtc-pc §6.2 "announce the data channel": open before `datachannel`, `open` after.
    channel.driveAnnounced();
    this.dispatchEvent(new FakeRtcDataChannelEvent(channel));
    if (channel.readyState === 'open') channel.driveOpen();
    return channel;
  }

  #validateDataChannel(label: string, init: RTCDataChannelInit): FakeDataChannelConfig {
    const encoder = new TextEncoder();
    if (encoder.encode(label).byteLength > 65535) throw new TypeError('label is too long');
    const protocol = init.protocol ?? '';
    if (encoder.encode(protocol).byteLength > 65535) throw new TypeError('protocol is too long');
    if (init.maxPacketLifeTime !== undefined && init.maxRetransmits !== undefined) {
      throw new TypeError('maxPacketLifeTime and maxRetransmits are mutually exclusive');
    }
    const negotiated = init.negotiated ?? false;
    if (negotiated && init.id === undefined) {
      throw new TypeError('id is required when negotiated is true');
    }
    const id = negotiated ? (init.id ?? null) : null;
    if (id !== null && (id < 0 || id > 65534)) throw new TypeError(`id ${id} is out of range`);
    if (id !== null && this.#dataChannels.some((c) => c.id === id && c.readyState !== 'closed')) {
      throw domError('OperationError', `id ${id} is already in use`);
    }
    return {
      label,
      ordered: init.ordered ?? true,
      maxPacketLifeTime: init.maxPacketLifeTime ?? null,
      maxRetransmits: init.maxRetransmits ?? null,
      protocol,
      negotiated,
      id,
    };
  }

  #trackKind(track: MediaStreamTrack): FakeTrackKind {
    if (track.kind !== 'audio' && track.kind !== 'video') {
      throw new TypeError(`Invalid track kind '${track.kind}'`);
    }
    return track.kind;
  }

  // --- descriptions as exposed ------------------------------------------------------------

  /** The local description as browsers expose it: gathered candidates included. */
  #describeLocal(description: LocalDescription | null): RTCSessionDescription | null {
    if (description === null) return null;
    const ufrag = ufragOf(description.parsed);
    const candidates = this.#localCandidates.get(ufrag ?? '') ?? [];
    const complete = ufrag !== null && this.#gatheringComplete.has(ufrag);
    if (candidates.length === 0 && !complete) {
      return new FakeSessionDescription(description.type, description.sdp);
    }
    const firstIndex = description.init.sections.findIndex((s) => (s.port ?? 9) !== 0);
    const sections = description.init.sections.map((section, index) =>
      index === firstIndex
        ? {
            ...section,
            candidates: candidates.map((c) => c.candidate),
            endOfCandidates: complete,
          }
        : section,
    );
    return new FakeSessionDescription(
      description.type,
      buildSdp({ ...description.init, sections }),
    );
  }

  #describeRemote(description: RemoteDescription | null): RTCSessionDescription | null {
    return description === null
      ? null
      : new FakeSessionDescription(description.type, description.sdp);
  }

  // --- network internals ------------------------------------------------------------------

  #createInternals(): FakePeerInternals {
    const self = this;
    return {
      setLink(link) {
        self.#link = link;
      },
      get negotiated() {
        return (
          self.#signalingState === 'stable' &&
          self.#currentLocal !== null &&
          self.#currentRemote !== null
        );
      },
      get localUfrag() {
        return self.#currentLocal === null ? null : ufragOf(self.#currentLocal.parsed);
      },
      get remoteUfrag() {
        return self.#currentRemote === null ? null : ufragOf(self.#currentRemote.parsed);
      },
      get hasRemoteCandidates() {
        const remote = self.#currentRemote;
        if (remote === null) return false;
        const ufrag = ufragOf(remote.parsed);
        if (remote.parsed.sections.some((s) => s.candidates.length > 0)) return true;
        return self.#addedRemoteCandidates.some(
          (c) => c.usernameFragment === null || c.usernameFragment === ufrag,
        );
      },
      get sctp() {
        if (self.#sctpClient === null || self.#sctp === null) return null;
        return { client: self.#sctpClient, maxMessageSize: self.#sctp.maxMessageSize };
      },
      get dataChannels() {
        return self.#dataChannels;
      },
      driveIceState(state) {
        self.#driveIceState(state);
      },
      announceDataChannel(config) {
        return self.#announceDataChannel(config);
      },
      openChannel(channel) {
        self.#openChannel(channel);
      },
      remoteGone() {
        for (const transceiver of self.#transceivers) transceiver.receiver.track.simulateMute();
      },
    };
  }
}

function sectionByMid(sdp: FakeSdp, mid: string): FakeSdpSection | undefined {
  return sdp.sections.find((s, i) => (s.mid ?? String(i)) === mid);
}

function credentialsOf(sdp: FakeSdp): { ufrag: string; pwd: string } | null {
  const section = sdp.sections.find((s) => s.port !== 0 && s.iceUfrag !== null);
  if (section?.iceUfrag == null || section.icePwd === null) return null;
  return { ufrag: section.iceUfrag, pwd: section.icePwd };
}

function ufragOf(sdp: FakeSdp): string | null {
  return sdp.sections.find((s) => s.port !== 0 && s.iceUfrag !== null)?.iceUfrag ?? null;
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
