/**
 * The internal slots of one fake `RTCPeerConnection` (webrtc-pc names them `[[CurrentLocalDescription]]`,
 * `[[Operations]]`, `[[NegotiationNeeded]]`, …): the state every algorithm file of this folder reads
 * and writes. {@link FakePeerConnection} holds one and exposes it only through the standard API.
 * @module
 */

import { domError } from '../domError.js';
import type { FakeDataChannel } from '../fakeDataChannel.js';
import type { FakeEventTarget } from '../fakeEventTarget.js';
import type { FakeIceCandidate } from '../fakeIceCandidate.js';
import type { FakeMediaStream } from '../fakeMedia.js';
import { registryEpoch } from '../fakeRegistry.js';
import type { FakeRtpOwner, FakeRtpTransceiver } from '../fakeRtp.js';
import type { FakeSdp, FakeSdpInit } from '../fakeSdp.js';
import { FakeDtlsTransport, FakeIceTransport, type FakeSctpTransport } from '../fakeTransports.js';
import type { FakePeerConnectionOptions } from './options.js';

/** What a remote candidate was recorded as by `addIceCandidate`. */
export interface FakeAddedCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
}

/** Who an m-section of a local description belongs to; `null`: rejected. */
export type SectionOwner = FakeRtpTransceiver | 'data' | null;

export interface LocalDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  readonly parsed: FakeSdp;
  readonly init: FakeSdpInit;
}

export interface RemoteDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  readonly parsed: FakeSdp;
}

/** A description `createOffer`/`createAnswer` returned, kept to check `setLocalDescription`. */
export interface CreatedDescription {
  readonly sdp: string;
  readonly init: FakeSdpInit;
}

export interface CreatedOffer extends CreatedDescription {
  readonly owners: ReadonlyMap<string, SectionOwner>;
}

export interface TransceiverSnapshot {
  readonly mid: string | null;
  readonly firedDirection: RTCRtpTransceiverDirection | null;
  readonly remoteStreams: FakeMediaStream[];
  readonly remoteTrackIds: string[];
  readonly stopping: boolean;
}

export interface RollbackSnapshot {
  readonly transceivers: ReadonlyMap<FakeRtpTransceiver, TransceiverSnapshot>;
  readonly appMid: string | null;
}

/** How the fake network is told about this connection (bound to it). */
export interface SlotsLink {
  changed(): void;
  closed(): void;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 262144;
let connectionCount = 0;

function randomFingerprint(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** What every method of a closed connection throws or rejects with. */
export function closedError(): DOMException {
  return domError('InvalidStateError', "The RTCPeerConnection's signalingState is 'closed'.");
}

export class PeerSlots {
  readonly number = ++connectionCount;
  readonly epoch = registryEpoch();
  configuration: RTCConfiguration;
  closed = false;
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';

  currentLocal: LocalDescription | null = null;
  pendingLocal: LocalDescription | null = null;
  currentRemote: RemoteDescription | null = null;
  pendingRemote: RemoteDescription | null = null;
  lastOffer: CreatedOffer | null = null;
  lastAnswer: CreatedDescription | null = null;
  rollback: RollbackSnapshot | null = null;

  transceivers: FakeRtpTransceiver[] = [];
  readonly dataChannels: FakeDataChannel[] = [];
  dataChannelCreated = false;
  /** A description operation other than a local answer is running (Firefox loses channels). */
  descriptionInFlight = false;
  appMid: string | null = null;
  sctpClient: boolean | null = null;
  remoteMaxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  readonly remoteStreams = new Map<string, FakeMediaStream>();
  nextMid = 0;

  readonly sessionId = String(Math.floor(Math.random() * 1e15) + 1e15);
  sessionVersion = 1;
  readonly fingerprint = randomFingerprint();
  newIceCredentials: { readonly ufrag: string; readonly pwd: string } | null = null;
  readonly iceCredentialsToReplace = new Set<string>();
  gatheringUfrag: string | null = null;
  readonly localCandidates = new Map<string, FakeIceCandidate[]>();
  readonly gatheringComplete = new Set<string>();
  readonly addedRemoteCandidates: FakeAddedCandidate[] = [];
  candidatePort = 50000 + ((this.number * 16) % 10000);

  readonly operations: Array<() => void> = [];
  updateNegotiationNeededOnEmptyChain = false;
  negotiationNeeded = false;
  negotiationNeededEventId = 0;

  readonly iceTransport = new FakeIceTransport();
  readonly dtlsTransport = new FakeDtlsTransport(this.iceTransport);
  sctp: FakeSctpTransport | null = null;
  /** Set by `failDtls`: nothing but a new connection recovers. */
  dtlsFailed = false;
  link: SlotsLink | null = null;
  everConnected = false;
  roundTripTime = 0.01;
  dataChannelsOpened = 0;

  /** The connection itself, which fires the events. */
  readonly target: FakeEventTarget;
  readonly options: Readonly<Required<FakePeerConnectionOptions>>;
  /** What its senders, receivers and transceivers call back into. */
  readonly owner: FakeRtpOwner;

  constructor(
    target: FakeEventTarget,
    configuration: RTCConfiguration,
    options: Readonly<Required<FakePeerConnectionOptions>>,
    owner: FakeRtpOwner,
  ) {
    this.target = target;
    this.configuration = { ...configuration };
    this.options = options;
    this.owner = owner;
  }
}
