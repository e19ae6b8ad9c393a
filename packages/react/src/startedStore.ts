'use client';

/**
 * The lifecycle `useCall` and `useRoom` share: a store (a signaling session, a room) made once
 * per component, read with `useSyncExternalStore`, started by an effect (so never during server
 * rendering) and stopped a microtask after its effect's cleanup unless the effect runs again
 * first: StrictMode's mount, unmount, mount keeps one joined store instead of leaving and
 * joining again.
 * @module
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

/** What {@link useStartedStore} drives. */
export interface StartableStore<S> {
  getSnapshot(): S;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

/**
 * The store `create` makes on the first render, and its current snapshot. `listen`, when given,
 * subscribes to anything else of the store in an effect that runs before the one that starts
 * it (so nothing `start()` emits is missed) and returns its unsubscribe; like `create`, the
 * first render's is used.
 */
export function useStartedStore<T extends StartableStore<S>, S>(
  create: () => T,
  listen?: (store: T) => () => void,
): [T, S] {
  const [store] = useState(create);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  // The first render's `listen` serves the store's life, as `create` does.
  const listenOnce = useRef(listen);
  useEffect(() => listenOnce.current?.(store), [store]);
  const cancelStop = useRef<(() => void) | null>(null);
  useEffect(() => {
    cancelStop.current?.();
    cancelStop.current = null;
    store.start();
    return () => {
      let cancelled = false;
      cancelStop.current = () => {
        cancelled = true;
      };
      queueMicrotask(() => {
        if (!cancelled) store.stop();
      });
    };
  }, [store]);
  return [store, snapshot];
}
