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
