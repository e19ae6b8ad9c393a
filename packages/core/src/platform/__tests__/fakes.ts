/**
 * Small hand-written stand-ins for the engines the platform layer adapts. Each native-like
 * member uses a `#private` field, so calling it with a Proxy as `this` throws a TypeError, as
 * brand-checked native methods do.
 */

let nextId = 0;

export class FakeTrack {
  readonly id = `track-${++nextId}`;
  constructor(readonly kind: 'audio' | 'video') {}
}

export class FakeMediaStream extends EventTarget {
  readonly id = `stream-${++nextId}`;
  #tracks: MediaStreamTrack[];
  constructor(tracks: readonly (FakeTrack | MediaStreamTrack)[] = []) {
    super();
    this.#tracks = [...(tracks as MediaStreamTrack[])];
  }
  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }
  addTrack(track: MediaStreamTrack): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }
  removeTrack(track: MediaStreamTrack): void {
    this.#tracks = this.#tracks.filter((t) => t !== track);
  }
}

export const track = (kind: 'audio' | 'video' = 'audio') =>
  new FakeTrack(kind) as unknown as MediaStreamTrack;
export const stream = (...tracks: MediaStreamTrack[]) =>
  new FakeMediaStream(tracks) as unknown as MediaStream;

/** An event carrying extra fields, like the native `addstream` or `addtrack` events. */
export function eventWith(type: string, fields: Record<string, unknown>): Event {
  return Object.assign(new Event(type), fields);
}

type Description = RTCSessionDescriptionInit;

/** What both fakes share: brand-checked state and the offer/answer state transitions. */
class BaseFake extends EventTarget {
  #signalingState: RTCSignalingState = 'stable';
  #iceConnectionState: RTCIceConnectionState = 'new';
  #local: Description | null = null;
  #remote: Description | null = null;
  #onnegotiationneeded: ((event: Event) => void) | null = null;
  #listener = (event: Event) => this.#onnegotiationneeded?.(event);
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly configuration: RTCConfiguration | undefined;

  constructor(configuration?: RTCConfiguration) {
    super();
    this.configuration = configuration;
    this.addEventListener('negotiationneeded', this.#listener);
  }
  get signalingState(): RTCSignalingState {
    return this.#signalingState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#iceConnectionState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return 'new';
  }
  get localDescription(): Description | null {
    return this.#local;
  }
  get remoteDescription(): Description | null {
    return this.#remote;
  }
  get onnegotiationneeded() {
    return this.#onnegotiationneeded;
  }
  set onnegotiationneeded(handler: ((event: Event) => void) | null) {
    this.#onnegotiationneeded = handler;
  }
  setIceConnectionState(state: RTCIceConnectionState): void {
    this.#iceConnectionState = state;
  }
  protected applyLocal(description: Description): void {
    this.#local = description;
    this.#transition(description.type, 'local');
  }
  protected applyRemote(description: Description): void {
    this.#remote = description;
    this.#transition(description.type, 'remote');
  }
  #transition(type: RTCSdpType, side: 'local' | 'remote'): void {
    const next: RTCSignalingState =
      type === 'offer' ? (side === 'local' ? 'have-local-offer' : 'have-remote-offer') : 'stable';
    if (next !== this.#signalingState) {
      this.#signalingState = next;
      this.dispatchEvent(new Event('signalingstatechange'));
    }
  }
  createDataChannel(label: string): { label: string } {
    this.#signalingState; // brand check
    return { label };
  }
  close(): void {
    this.#signalingState = 'closed';
    this.#iceConnectionState = 'closed';
  }
  protected record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
  }
}

/** A modern promise-API engine with everything. */
export class PromisePeerConnection extends BaseFake {
  get connectionState(): RTCPeerConnectionState {
    return 'new';
  }
  // Rest parameters keep `length` at 0, as WebIDL gives the promise-API operations.
  async createOffer(...[options]: [RTCOfferOptions?]): Promise<Description> {
    this.record('createOffer', [options]);
    return { type: 'offer', sdp: `offer ${JSON.stringify(options ?? {})}` };
  }
  async createAnswer(...[options]: [RTCAnswerOptions?]): Promise<Description> {
    this.record('createAnswer', [options]);
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(...[description]: [RTCLocalSessionDescriptionInit?]): Promise<void> {
    this.record('setLocalDescription', [description]);
    const type =
      description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    this.applyLocal({ type, sdp: description?.sdp ?? type });
  }
  async setRemoteDescription(description: Description): Promise<void> {
    this.applyRemote(description);
  }
  async addIceCandidate(): Promise<void> {}
  restartIce(): void {}
  addTrack(): RTCRtpSender {
    return {} as RTCRtpSender;
  }
  removeTrack(): void {}
  getSenders(): RTCRtpSender[] {
    return [];
  }
  getReceivers(): RTCRtpReceiver[] {
    return [];
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  async getStats(): Promise<RTCStatsReport> {
    return new Map() as unknown as RTCStatsReport;
  }
}

/**
 * A promise-API engine from before `connectionState`, `restartIce` and implicit descriptions:
 * `setLocalDescription` requires its argument (length 1) and throws a TypeError without it.
 */
export class PreImplicitPeerConnection extends PromisePeerConnection {
  override get connectionState(): RTCPeerConnectionState {
    return undefined as unknown as RTCPeerConnectionState;
  }
  override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    if (description?.type === undefined) {
      throw new TypeError("Failed to execute 'setLocalDescription': 1 argument required");
    }
    return super.setLocalDescription(description);
  }
}
// Remove what this engine predates: restartIce and connectionState.
Object.defineProperty(PreImplicitPeerConnection.prototype, 'restartIce', { value: undefined });
Object.defineProperty(PreImplicitPeerConnection.prototype, 'connectionState', {
  value: undefined,
});

export type Success<T = void> = (value: T) => void;
export type Failure = (error: unknown) => void;

/** Per-method failure injection for the legacy fake: the next call fails with this error. */
export type FailNext = Partial<Record<string, unknown>>;

function requireCallbacks(method: string, success: unknown, failure: unknown): void {
  if (typeof success !== 'function' || typeof failure !== 'function') {
    throw new TypeError(`${method}: 2 arguments required, but only fewer present`);
  }
}

/**
 * A callback-only engine (early `webkitRTCPeerConnection`): `createOffer.length === 2`,
 * and every method throws a TypeError without its callbacks.
 */
export class LegacyPeerConnection extends BaseFake {
  readonly failNext: FailNext = {};
  statsResponse: unknown = undefined;

  #settle(method: string, failure: Failure, run: () => void): void {
    const error = this.failNext[method];
    delete this.failNext[method];
    queueMicrotask(() => (error === undefined ? run() : failure(error)));
  }
  createOffer(success: Success<Description>, failure: Failure, ...rest: [RTCOfferOptions?]): void {
    requireCallbacks('createOffer', success, failure);
    this.record('createOffer', rest);
    this.#settle('createOffer', failure, () =>
      success(new FakeSessionDescription({ type: 'offer', sdp: 'legacy offer' })),
    );
  }
  createAnswer(
    success: Success<Description>,
    failure: Failure,
    ...rest: [RTCAnswerOptions?]
  ): void {
    requireCallbacks('createAnswer', success, failure);
    this.record('createAnswer', rest);
    this.#settle('createAnswer', failure, () =>
      success(new FakeSessionDescription({ type: 'answer', sdp: 'legacy answer' })),
    );
  }
  setLocalDescription(description: Description, success: Success, failure: Failure): void {
    requireCallbacks('setLocalDescription', success, failure);
    this.record('setLocalDescription', [description]);
    this.#settle('setLocalDescription', failure, () => {
      this.applyLocal(description);
      success();
    });
  }
  setRemoteDescription(description: Description, success: Success, failure: Failure): void {
    requireCallbacks('setRemoteDescription', success, failure);
    this.record('setRemoteDescription', [description]);
    this.#settle('setRemoteDescription', failure, () => {
      this.applyRemote(description);
      success();
    });
  }
  addIceCandidate(candidate: RTCIceCandidateInit, success: Success, failure: Failure): void {
    requireCallbacks('addIceCandidate', success, failure);
    this.record('addIceCandidate', [candidate]);
    this.#settle('addIceCandidate', failure, success);
  }
  /** Legacy Chrome: `getStats(success, selector?)`, length 1; no failure callback. */
  getStats(success: Success<unknown>, ...rest: [MediaStreamTrack?]): void {
    if (typeof success !== 'function') throw new TypeError('getStats: callback required');
    this.record('getStats', rest);
    const error = this.failNext.getStats;
    delete this.failNext.getStats;
    if (error !== undefined) throw error;
    queueMicrotask(() => success(this.statsResponse));
  }
}

/** Prefixed Firefox: `getStats(selector, success, failure)`, length 3. */
export class LegacyFirefoxPeerConnection extends LegacyPeerConnection {
  // @ts-expect-error: the prefixed Firefox signature differs from legacy Chrome's.
  override getStats(
    selector: MediaStreamTrack | null,
    success: Success<unknown>,
    failure: Failure,
  ): void {
    this.record('getStats', [selector]);
    const error = this.failNext.getStats;
    delete this.failNext.getStats;
    queueMicrotask(() => (error === undefined ? success(this.statsResponse) : failure(error)));
  }
}

/** Stands for `RTCSessionDescription` / `mozRTCSessionDescription`. */
export class FakeSessionDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  constructor(init: RTCSessionDescriptionInit) {
    this.type = init.type;
    this.sdp = init.sdp ?? '';
  }
}

/** Stands for `RTCIceCandidate` / `mozRTCIceCandidate`. */
export class FakeIceCandidate {
  readonly candidate: string;
  constructor(init: RTCIceCandidateInit) {
    this.candidate = init.candidate ?? '';
  }
}

/**
 * A stream-API engine (Chrome before 64): promise API, `addStream`/`removeStream` and
 * `addstream`/`removestream` events, but no `addTrack`, no `ontrack`.
 */
export class StreamPeerConnection extends PreImplicitPeerConnection {
  #localStreams: MediaStream[] = [];
  addStream(stream: MediaStream): void {
    this.record('addStream', [stream]);
    this.#localStreams.push(stream);
  }
  removeStream(stream: MediaStream): void {
    this.record('removeStream', [stream]);
    this.#localStreams = this.#localStreams.filter((s) => s !== stream);
  }
  getLocalStreams(): MediaStream[] {
    return [...this.#localStreams];
  }
  /** Simulates the engine announcing a remote stream. */
  remoteStreamAdded(stream: MediaStream): void {
    this.dispatchEvent(eventWith('addstream', { stream }));
  }
  remoteStreamRemoved(stream: MediaStream): void {
    this.dispatchEvent(eventWith('removestream', { stream }));
  }
}
for (const name of ['addTrack', 'removeTrack', 'getSenders', 'getReceivers', 'getTransceivers']) {
  Object.defineProperty(StreamPeerConnection.prototype, name, { value: undefined });
}

/** A legacy engine that is also stream-only, like Chrome before 51 or so. */
export class LegacyStreamPeerConnection extends LegacyPeerConnection {
  addStream(stream: MediaStream): void {
    this.record('addStream', [stream]);
  }
  removeStream(stream: MediaStream): void {
    this.record('removeStream', [stream]);
  }
}

/** Lets `await flush()` run queued microtasks and their follow-ups. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
