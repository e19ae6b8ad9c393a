import {
  type CreatePeerOptions,
  createPeer,
  onPeerEvents,
  type PeerActions,
  type PeerActor,
  type PeerCommand,
  type PeerEventHandlers,
  type PeerSnapshot,
  type PeerView,
  peerActions,
  peerView,
} from '@peerstatejs/core';
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

/** Options of {@link usePeer}, beside the peer's own. */
export interface UsePeerOptions {
  /** Handlers for the events the peer emits; subscribed before the peer starts. */
  readonly on?: PeerEventHandlers;
}

/** Each field of core's `PeerView` as a computed ref. */
export type PeerViewRefs = { readonly [K in keyof PeerView]: ComputedRef<PeerView[K]> };

/** What {@link usePeer} returns: reactive snapshot and view, and the actions. */
export interface UsePeerReturn extends PeerViewRefs, PeerActions {
  readonly actor: PeerActor;
  readonly snapshot: Readonly<ShallowRef<PeerSnapshot>>;
  /** `peerView(snapshot)`. */
  readonly view: ComputedRef<PeerView>;
  /** The machine's state value, e.g. `{ active: { connection: 'connected', … } }`. */
  readonly state: ComputedRef<PeerSnapshot['value']>;
  /** Reactive when called in a render function, `computed` or `watch`. */
  readonly matches: PeerSnapshot['matches'];
  /** Sends any command to the peer. */
  readonly send: (command: PeerCommand) => void;
}

function isPeerActor(source: CreatePeerOptions | PeerActor): source is PeerActor {
  return typeof (source as Partial<PeerActor>).getSnapshot === 'function';
}

/**
 * A peer for a component (or any effect scope). Given options, creates the peer, starts it once
 * mounted (at once outside a component) and closes the call when the scope is disposed; setup
 * alone, and so server rendering, never touches `RTCPeerConnection`. Given an actor (e.g. from
 * `injectPeer()`), only reads it: its owner starts and closes it.
 *
 * @example
 * ```ts
 * const { phase, remoteStreams, createDataChannel, sendData } = usePeer(
 *   { signaling, polite: true },
 *   { on: { data: ({ data }) => messages.value.push(String(data)) } },
 * );
 * ```
 */
export function usePeer(
  source: CreatePeerOptions | PeerActor,
  hooks: UsePeerOptions = {},
): UsePeerReturn {
  const owned = !isPeerActor(source);
  const actor = isPeerActor(source) ? source : createPeer(source);
  const snapshot = shallowRef(actor.getSnapshot());
  let subscriptions: { unsubscribe(): void }[] | null = null;

  const connect = (): void => {
    subscriptions = [
      actor.subscribe((next) => {
        snapshot.value = next;
      }),
      { unsubscribe: onPeerEvents(actor, () => hooks.on) },
    ];
    snapshot.value = actor.getSnapshot();
    if (owned) actor.start();
  };
  if (getCurrentInstance()) onMounted(connect);
  else connect();
  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (!subscriptions) return;
      for (const subscription of subscriptions) subscription.unsubscribe();
      if (owned) {
        actor.send({ type: 'CLOSE' });
        actor.stop();
      }
    });
  }

  const view = computed(() => peerView(snapshot.value));
  const fields = Object.fromEntries(
    Object.keys(view.value).map((key) => [key, computed(() => view.value[key as keyof PeerView])]),
  ) as unknown as PeerViewRefs;
  const send = (command: PeerCommand): void => actor.send(command);
  const matches: PeerSnapshot['matches'] = (value) => snapshot.value.matches(value);
  return {
    ...fields,
    ...peerActions(send),
    actor,
    snapshot,
    view,
    state: computed(() => snapshot.value.value),
    matches,
    send,
  };
}
