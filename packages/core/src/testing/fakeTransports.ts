/**
 * The transports a peer connection exposes once negotiated (`sender.transport`,
 * `transport.iceTransport`, `pc.sctp`). With BUNDLE there is one of each per connection; the
 * owning {@link FakePeerConnection} drives their states.
 * @module
 */

import { FakeEventTarget } from './fakeEventTarget.js';

/** Handler type of the fake transports' `on*` properties. */
export type Handler<T> = ((this: T, ev: Event) => unknown) | null;

/** `RTCIceTransport`. */
export class FakeIceTransport extends FakeEventTarget implements RTCIceTransport {
  static {
    FakeIceTransport.defineEventHandlers(FakeIceTransport.prototype, [
      'statechange',
      'gatheringstatechange',
      'selectedcandidatepairchange',
    ]);
  }

  #state: RTCIceTransportState = 'new';
  #gatheringState: RTCIceGathererState = 'new';
  #pair: RTCIceCandidatePair | null = null;

  get state(): RTCIceTransportState {
    return this.#state;
  }
  get gatheringState(): RTCIceGathererState {
    return this.#gatheringState;
  }
  getSelectedCandidatePair(): RTCIceCandidatePair | null {
    return this.#pair;
  }

  declare onstatechange: Handler<RTCIceTransport>;
  declare ongatheringstatechange: Handler<RTCIceTransport>;
  declare onselectedcandidatepairchange: Handler<RTCIceTransport>;

  /** @internal Driven by the owning peer connection; `fire: false` when closing silently. */
  driveState(state: RTCIceTransportState, fire = true): void {
    if (this.#state === state) return;
    this.#state = state;
    if (fire) this.dispatchEvent(new Event('statechange'));
  }

  /** @internal */
  driveGatheringState(state: RTCIceGathererState): void {
    if (this.#gatheringState === state) return;
    this.#gatheringState = state;
    this.dispatchEvent(new Event('gatheringstatechange'));
  }

  /** @internal */
  driveSelectedPair(pair: RTCIceCandidatePair | null): void {
    if (this.#pair === pair) return;
    this.#pair = pair;
    if (pair !== null) this.dispatchEvent(new Event('selectedcandidatepairchange'));
  }
}

/** `RTCDtlsTransport`. */
export class FakeDtlsTransport extends FakeEventTarget implements RTCDtlsTransport {
  static {
    FakeDtlsTransport.defineEventHandlers(FakeDtlsTransport.prototype, ['statechange', 'error']);
  }

  readonly iceTransport: FakeIceTransport;
  #state: RTCDtlsTransportState = 'new';

  constructor(iceTransport: FakeIceTransport) {
    super();
    this.iceTransport = iceTransport;
  }

  get state(): RTCDtlsTransportState {
    return this.#state;
  }
  /** No certificates: the fake does no DTLS. */
  getRemoteCertificates(): ArrayBuffer[] {
    return this.#state === 'connected' ? [new ArrayBuffer(32)] : [];
  }

  declare onstatechange: Handler<RTCDtlsTransport>;
  declare onerror: ((this: RTCDtlsTransport, ev: RTCErrorEvent) => unknown) | null;

  /** @internal */
  driveState(state: RTCDtlsTransportState, fire = true): void {
    if (this.#state === state) return;
    this.#state = state;
    if (fire) this.dispatchEvent(new Event('statechange'));
  }
}

/** `RTCSctpTransport`. */
export class FakeSctpTransport extends FakeEventTarget implements RTCSctpTransport {
  static {
    FakeSctpTransport.defineEventHandlers(FakeSctpTransport.prototype, ['statechange']);
  }

  readonly transport: FakeDtlsTransport;
  #state: RTCSctpTransportState = 'connecting';
  #maxMessageSize: number;

  constructor(transport: FakeDtlsTransport, maxMessageSize: number) {
    super();
    this.transport = transport;
    this.#maxMessageSize = maxMessageSize;
  }

  get state(): RTCSctpTransportState {
    return this.#state;
  }
  get maxMessageSize(): number {
    return this.#maxMessageSize;
  }
  get maxChannels(): number | null {
    return this.#state === 'connected' ? 65535 : null;
  }

  declare onstatechange: Handler<RTCSctpTransport>;

  /** @internal */
  driveState(state: RTCSctpTransportState, fire = true): void {
    if (this.#state === state) return;
    this.#state = state;
    if (fire) this.dispatchEvent(new Event('statechange'));
  }

  /** @internal The smaller of both sides' `a=max-message-size`. */
  driveMaxMessageSize(size: number): void {
    this.#maxMessageSize = size;
  }
}
