import { describe, expect, it } from 'vitest';
import { FakeDataChannel } from '../fakeDataChannel.js';
import type { FakeEventTarget } from '../fakeEventTarget.js';
import { FakeMediaStream, FakeMediaStreamTrack } from '../fakeMedia.js';
import { FakePeerConnection } from '../fakePeerConnection.js';
import { FakeDtlsTransport, FakeIceTransport, FakeSctpTransport } from '../fakeTransports.js';

// Every event handler attribute each fake has, as the IDL of webrtc-pc and mediacapture-main
// lists them (written out here, not read from the fakes, so a missing or misspelt one fails).
const cases: ReadonlyArray<[string, () => FakeEventTarget, readonly string[]]> = [
  [
    'FakePeerConnection',
    () => new FakePeerConnection(),
    [
      'negotiationneeded',
      'signalingstatechange',
      'icecandidate',
      'icecandidateerror',
      'iceconnectionstatechange',
      'icegatheringstatechange',
      'connectionstatechange',
      'track',
      'datachannel',
    ],
  ],
  [
    'FakeDataChannel',
    () =>
      new FakeDataChannel({
        label: 'chat',
        ordered: true,
        maxPacketLifeTime: null,
        maxRetransmits: null,
        protocol: '',
        negotiated: false,
        id: null,
      }),
    ['open', 'message', 'closing', 'close', 'error', 'bufferedamountlow'],
  ],
  ['FakeMediaStreamTrack', () => new FakeMediaStreamTrack('audio'), ['ended', 'mute', 'unmute']],
  ['FakeMediaStream', () => new FakeMediaStream([]), ['addtrack', 'removetrack']],
  [
    'FakeIceTransport',
    () => new FakeIceTransport(),
    ['statechange', 'gatheringstatechange', 'selectedcandidatepairchange'],
  ],
  [
    'FakeDtlsTransport',
    () => new FakeDtlsTransport(new FakeIceTransport()),
    ['statechange', 'error'],
  ],
  [
    'FakeSctpTransport',
    () => new FakeSctpTransport(new FakeDtlsTransport(new FakeIceTransport()), 65536),
    ['statechange'],
  ],
];

describe('event handler attributes', () => {
  it.each(cases)(
    '%s: each on<event> is an accessor that hears its event and counts as one listener',
    (_name, create, types) => {
      const target = create();
      const slots = target as unknown as Record<string, unknown>;
      for (const type of types) {
        const attribute = `on${type}`;
        expect(Object.hasOwn(target, attribute), attribute).toBe(false);
        expect(slots[attribute], attribute).toBeNull();
        const heard: Array<[unknown, string]> = [];
        const handler = function (this: unknown, event: Event): void {
          heard.push([this, event.type]);
        };
        const before = target.fakeListenerCount;
        slots[attribute] = handler;
        expect(slots[attribute], attribute).toBe(handler);
        expect(target.fakeListenerCount, attribute).toBe(before + 1);
        target.dispatchEvent(new Event(type));
        expect(heard, attribute).toEqual([[target, type]]);
        slots[attribute] = null;
        expect(slots[attribute], attribute).toBeNull();
        expect(target.fakeListenerCount, attribute).toBe(before);
        target.dispatchEvent(new Event(type));
        expect(heard, attribute).toHaveLength(1);
      }
      if (target instanceof FakePeerConnection) target.close();
    },
  );
});
