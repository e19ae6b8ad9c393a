/**
 * The lifecycle `useCall` and `useRoom` share: a store (a signaling session, a room) that joins
 * when the component mounts (at once outside a component, e.g. in a test's effect scope, never
 * during server rendering's setup alone) and leaves when its scope is disposed; its snapshot as a
 * shallow ref, and one computed ref per snapshot field.
 * @module
 */
import {
  type ComputedRef,
  computed,
  getCurrentInstance,
  getCurrentScope,
  onMounted,
  onScopeDispose,
  type ShallowRef,
  shallowRef,
} from 'vue';

/** What {@link useStartedStore} drives. */
export interface StartableStore<S> {
  getSnapshot(): S;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

/** One computed ref per field of a snapshot. */
export type FieldRefs<S> = { readonly [K in keyof S]: ComputedRef<S[K]> };

/**
 * Starts `store` on mount and stops it with the current scope. `listen`, when given, subscribes
 * to anything else of the store at the same moment and returns its unsubscribe.
 */
export function useStartedStore<S extends object>(
  store: StartableStore<S>,
  listen?: () => () => void,
): { readonly snapshot: ShallowRef<S>; readonly fields: FieldRefs<S> } {
  const snapshot = shallowRef(store.getSnapshot()) as ShallowRef<S>;
  let unsubscribe: (() => void) | null = null;
  const connect = (): void => {
    const offSnapshot = store.subscribe(() => {
      snapshot.value = store.getSnapshot();
    });
    const offOther = listen ? listen() : () => {};
    unsubscribe = () => {
      offSnapshot();
      offOther();
    };
    store.start();
  };
  if (getCurrentInstance()) onMounted(connect);
  else connect();
  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (!unsubscribe) return;
      store.stop();
      unsubscribe();
      unsubscribe = null;
    });
  }
  const fields = Object.fromEntries(
    Object.keys(snapshot.value).map((key) => [key, computed(() => snapshot.value[key as keyof S])]),
  ) as unknown as FieldRefs<S>;
  return { snapshot, fields };
}
