/** Waits for a session's or a room's snapshot to satisfy `predicate`, or rejects after `timeout`. */
export function untilSnapshot<S>(
  target: { getSnapshot(): S; subscribe(listener: () => void): () => void },
  predicate: (snapshot: S) => boolean,
  timeout = 10_000,
  describe: () => string = () => '',
): Promise<S> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const snapshot = target.getSnapshot();
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      const detail = describe();
      reject(new Error(`until: not reached in ${timeout} ms${detail ? `: ${detail}` : ''}`));
    }, timeout);
    const unsubscribe = target.subscribe(check);
    check();
  });
}
