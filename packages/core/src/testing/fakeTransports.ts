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

  get onstatechange(): Handler<RTCIceTransport> {
    return this.getHandler('statechange');
  }
  set onstatechange(value: Handler<RTCIceTransport>) {
    this.setHandler('statechange', value);
  }
  get ongatheringstatechange(): Handler<RTCIceTransport> {
    return this.getHandler('gatheringstatechange');
  }
  set ongatheringstatechange(value: Handler<RTCIceTransport>) {
    this.setHandler('gatheringstatechange', value);
  }
  get onselectedcandidatepairchange(): Handler<RTCIceTransport> {
    return this.getHandler('selectedcandidatepairchange');
  }
  set onselectedcandidatepairchange(value: Handler<RTCIceTransport>) {
    this.setHandler('selectedcandidatepairchange', value);
  }

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

  get onstatechange(): Handler<RTCDtlsTransport> {
    return this.getHandler('statechange');
  }
  set onstatechange(value: Handler<RTCDtlsTransport>) {
    this.setHandler('statechange', value);
  }
  get onerror(): ((this: RTCDtlsTransport, ev: RTCErrorEvent) => unknown) | null {
    return this.getHandler('error');
  }
  set onerror(value: ((this: RTCDtlsTransport, ev: RTCErrorEvent) => unknown) | null) {
    this.setHandler('error', value);
  }

  /** @internal */
  driveState(state: RTCDtlsTransportState, fire = true): void {
    if (this.#state === state) return;
    this.#state = state;
    if (fire) this.dispatchEvent(new Event('statechange'));
  }
}

/** `RTCSctpTransport`. */
export class FakeSctpTransport extends FakeEventTarget implements RTCSctpTransport {
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

  get onstatechange(): Handler<RTCSctpTransport> {
    return this.getHandler('statechange');
  }
  set onstatechange(value: Handler<RTCSctpTransport>) {
    this.setHandler('statechange', value);
  }

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
