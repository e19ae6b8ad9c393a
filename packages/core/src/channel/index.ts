/**
 * `@peerstatejs/core/channel`: typed data channels over a peer, with a codec, a bounded queue
 * until open, backpressure, and large transfers with progress, abort and SHA-256 integrity.
 *
 * @example
 * ```ts
 * const chat = dataChannel<{ text: string }>(peer, 'chat', { codec: json() });
 * chat.on('message', ({ text }) => console.log(text));
 * const file = chat.sendTransfer(blob, { name: 'photo.jpg' });
 * file.on('progress', ({ bytes, total }) => console.log(bytes, total));
 * ```
 * @module
 */

export type { BackpressureOptions } from './backpressure.js';
export {
  type ChannelPeer,
  type DataChannelOptions,
  dataChannel,
  type TypedChannel,
  type TypedChannelEvents,
  type TypedChannelState,
} from './channel.js';
export { binary, type Check, type Codec, type Encoded, json, text } from './codec.js';
export { ChannelError, type ChannelErrorReason } from './errors.js';
export type { TransferEnd, TransferHeader } from './frames.js';
export type { IncomingTransfer } from './incoming.js';
export type {
  OutgoingTransfer,
  TransferEvents,
  TransferOptions,
  TransferProgress,
  TransferSource,
} from './transfer.js';
