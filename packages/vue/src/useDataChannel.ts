import type { PeerActor } from '@peerstatejs/core';
import {
  type DataChannelOptions,
  dataChannel,
  type TypedChannel,
  type TypedChannelState,
} from '@peerstatejs/core/channel';
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowRef } from 'vue';

/** What {@link useDataChannel} returns. */
export interface DataChannelRefs<T> {
  /** The typed channel: `on`, `sendTransfer`, `close`. */
  readonly channel: TypedChannel<T>;
  readonly state: Readonly<ShallowRef<TypedChannelState>>;
  /** The last message received, `null` before the first. */
  readonly last: Readonly<ShallowRef<T | null>>;
  /** `channel.send`: queued until the channel opens. */
  readonly send: (value: T) => Promise<void>;
}

/**
 * A typed channel (`dataChannel` of `@peerstatejs/core/channel`) for the life of the calling
 * component or effect scope: made at once (so in `<script setup>` a send before the channel
 * opens is queued, not lost), closed when the scope is disposed.
 */
export function useDataChannel<T>(
  actor: PeerActor,
  label: string,
  options: DataChannelOptions<T>,
): DataChannelRefs<T> {
  const channel = dataChannel(actor, label, options);
  const state = shallowRef<TypedChannelState>(channel.state);
  const last = shallowRef<T | null>(null);
  const update = () => {
    state.value = channel.state;
  };
  channel.on('open', update);
  channel.on('close', update);
  channel.on('message', (message) => {
    last.value = message;
  });
  if (getCurrentScope()) onScopeDispose(() => channel.close());
  return { channel, state, last, send: (value) => channel.send(value) };
}
