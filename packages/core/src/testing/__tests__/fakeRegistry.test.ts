import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventTarget } from '../fakeEventTarget.js';
import { createFakeTrack } from '../fakeMedia.js';
import { createFakePeerPair } from '../fakeNetwork.js';
import { FakePeerConnection } from '../fakePeerConnection.js';
import {
  describeFakeListeners,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../fakeRegistry.js';
import { negotiate } from './helpers.js';

beforeEach(() => {
  resetFakeRegistry();
});

describe('listener accounting', () => {
  it('counts listeners the way EventTarget registers them', () => {
    const target = new FakeEventTarget();
    const calls: string[] = [];
    const listener = (): void => {
      calls.push('fn');
    };
    const object = { handleEvent: () => calls.push('object') };
    target.addEventListener('x', listener);
    target.addEventListener('x', listener);
    target.addEventListener('x', listener, { capture: true });
    target.addEventListener('x', object);
    target.addEventListener('x', null);
    expect(target.fakeListenerCount).toBe(3);
    expect(liveFakeListenerCount()).toBe(3);
    target.dispatchEvent(new Event('x'));
    expect(calls).toEqual(['fn', 'fn', 'object']);
    target.removeEventListener('x', listener);
    expect(target.fakeListenerCount).toBe(2);
    target.removeEventListener('x', listener, true);
    target.removeEventListener('x', object, false);
    target.removeEventListener('x', null);
    expect(liveFakeListenerCount()).toBe(0);
  });

  it('drops once listeners after they run and signal listeners on abort', () => {
    const target = new FakeEventTarget();
    let count = 0;
    const once = (): void => {
      count += 1;
    };
    target.addEventListener('x', once, { once: true });
    target.addEventListener('x', once, { once: true });
    expect(target.fakeListenerCount).toBe(1);
    target.dispatchEvent(new Event('x'));
    target.dispatchEvent(new Event('x'));
    expect(count).toBe(1);
    expect(target.fakeListenerCount).toBe(0);

    const controller = new AbortController();
    target.addEventListener('y', () => {}, { signal: controller.signal, passive: true });
    target.addEventListener('z', () => {}, { signal: controller.signal });
    expect(liveFakeListenerCount()).toBe(2);
    controller.abort();
    expect(liveFakeListenerCount()).toBe(0);
    target.addEventListener('y', () => {}, { signal: controller.signal });
    expect(target.fakeListenerCount).toBe(0);

    const removed = new AbortController();
    const listener = (): void => {};
    target.addEventListener('w', listener, { signal: removed.signal });
    target.removeEventListener('w', listener);
    removed.abort();
    expect(target.fakeListenerCount).toBe(0);
  });

  it('counts an event handler attribute as one listener while set', () => {
    const track = createFakeTrack('audio');
    const seen: string[] = [];
    track.onmute = () => seen.push('first');
    track.onmute = () => seen.push('second');
    expect(liveFakeListenerCount()).toBe(1);
    expect(describeFakeListeners()).toEqual([
      { target: `FakeMediaStreamTrack audio ${track.id}`, type: 'mute', count: 1 },
    ]);
    track.dispatchEvent(new Event('mute'));
    expect(seen).toEqual(['second']);
    track.onmute = null;
    track.onmute = null;
    expect(liveFakeListenerCount()).toBe(0);
  });

  it('cancels the event when a handler returns false', () => {
    const target = new FakeEventTarget();
    class WithHandler extends FakeEventTarget {
      set onx(value: unknown) {
        this.setHandler('x', value);
      }
    }
    const withHandler = new WithHandler();
    withHandler.onx = () => false;
    const event = new Event('x', { cancelable: true });
    withHandler.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(target.fakeDescription).toBe('FakeEventTarget');
  });

  it('forgets objects created before resetFakeRegistry', () => {
    const old = new FakeEventTarget();
    old.addEventListener('x', () => {});
    const oldPc = new FakePeerConnection();
    expect(openFakePeerConnections()).toEqual([oldPc]);
    resetFakeRegistry();
    expect(liveFakeListenerCount()).toBe(0);
    expect(openFakePeerConnections()).toEqual([]);
    old.addEventListener('y', () => {});
    expect(liveFakeListenerCount()).toBe(0);
  });
});

describe('leak detection end to end', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports listeners left on any fake, and pcs not closed', async () => {
    const { a, b } = createFakePeerPair();
    const onTrack = (): void => {};
    b.addEventListener('track', onTrack);
    a.addTrack(createFakeTrack('audio'));
    const channel = a.createDataChannel('x');
    channel.onopen = () => {};
    await negotiate(a, b);
    a.getSenders()[0]?.transport?.addEventListener('statechange', () => {});
    expect(describeFakeListeners().map((r) => r.target)).toEqual([
      expect.stringMatching(/^FakePeerConnection #\d+$/),
      'FakeDataChannel "x"',
      'FakeDtlsTransport',
    ]);
    expect(openFakePeerConnections()).toEqual([a, b]);
    a.close();
    b.close();
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(3);
  });
});
