'use client';

import type { PeerActor } from '@peerstatejs/core';
import {
  ChannelError,
  type DataChannelOptions,
  dataChannel,
  type IncomingTransfer,
  type TypedChannel,
  type TypedChannelState,
} from '@peerstatejs/core/channel';
import { useCallback, useEffect, useRef, useState } from 'react';

/** Options of {@link useDataChannel}: the channel's, plus handlers (the latest ones are called). */
export interface UseDataChannelOptions<T> extends DataChannelOptions<T> {
  /** A decoded message arrived. */
  readonly onMessage?: (message: T) => void;
  /** A message the codec rejected, or a frame the channel cannot read. */
  readonly onError?: (error: ChannelError) => void;
  /** The other end started a transfer. */
  readonly onTransfer?: (transfer: IncomingTransfer) => void;
}

/** What {@link useDataChannel} returns. */
export interface UseDataChannelResult<T> {
  /** The typed channel, `null` before the component mounted. */
  readonly channel: TypedChannel<T> | null;
  readonly state: TypedChannelState;
  /** `channel.send`; before mount it rejects with `closed`. */
  readonly send: (value: T) => Promise<void>;
}

/**
 * A typed channel (`dataChannel` of `@peerstatejs/core/channel`) for the life of the component:
 * made when it mounts or `actor`/`label` change, closed when it unmounts. `options` other than
 * the handlers are read when the channel is made. Under `<StrictMode>`'s double mount the first
 * channel is closed and a second one made.
 */
export function useDataChannel<T>(
  actor: PeerActor,
  label: string,
  options: UseDataChannelOptions<T>,
): UseDataChannelResult<T> {
  const [channel, setChannel] = useState<TypedChannel<T> | null>(null);
  const [state, setState] = useState<TypedChannelState>('connecting');
  const latest = useRef(options);
  latest.current = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: options are read when the channel is made
  useEffect(() => {
    const made = dataChannel(actor, label, options);
    const update = () => setState(made.state);
    const offs = [
      made.on('open', update),
      made.on('close', update),
      made.on('message', (m) => latest.current.onMessage?.(m)),
      made.on('error', (e) => latest.current.onError?.(e)),
      made.on('transfer', (t) => latest.current.onTransfer?.(t)),
    ];
    setChannel(made);
    update();
    return () => {
      for (const off of offs) off();
      made.close();
      setChannel(null);
    };
  }, [actor, label]);
  const send = useCallback(
    (value: T) =>
      channel?.send(value) ??
      Promise.reject(new ChannelError(label, 'closed', 'the component is not mounted')),
    [channel, label],
  );
  return { channel, state, send };
}
