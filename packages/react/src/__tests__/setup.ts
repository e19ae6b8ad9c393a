import { configure } from '@testing-library/react';

// Waits are for states, not for time: the default 1 s ran out on a loaded 2-core machine while
// two fake peers were still negotiating (each step is a real task). A wait that succeeds returns
// as soon as its condition holds, so only a real failure costs the full 15 s.
configure({ asyncUtilTimeout: 15_000 });

// happy-dom's `srcObject` accepts only happy-dom's own MediaStream; the streams in these tests are
// `@peerstatejs/core/testing` fakes, so store whatever is assigned, as a browser stores any stream.
if (typeof HTMLMediaElement !== 'undefined') {
  const sources = new WeakMap<HTMLMediaElement, MediaStream | null>();
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    get(this: HTMLMediaElement) {
      return sources.get(this) ?? null;
    },
    set(this: HTMLMediaElement, value: MediaStream | null) {
      sources.set(this, value);
    },
  });
}
