import { DataChannelError } from '../errors.js';

/**
 * Why a typed channel refused or lost something:
 *
 * | reason | when |
 * | --- | --- |
 * | `encode` | the codec threw on a value given to `send` |
 * | `decode` | the codec rejected a received message (emitted as an `error` event) |
 * | `queue-full` | `send` while `maxQueued` messages or `maxQueuedBytes` bytes already wait |
 * | `too-large` | one encoded message is over the SCTP transport's `maxMessageSize` (use `sendTransfer`) |
 * | `send-failed` | `RTCDataChannel.send` threw for another reason |
 * | `closed` | the underlying channel closed (a rebuild, the remote, `close()`) before the data left |
 * | `aborted` | a transfer was aborted by `abort()` on this end (`remote: false`) or the other (`remote: true`) |
 * | `interrupted` | a transfer's channel closed under it (a rebuild fails transfers; start them again) |
 * | `integrity` | a transfer arrived with a wrong size, a chunk out of order or a SHA-256 mismatch |
 * | `protocol` | a frame this layer cannot read (the other end is not a typed channel of this version) |
 */
export type ChannelErrorReason =
  | 'encode'
  | 'decode'
  | 'queue-full'
  | 'too-large'
  | 'send-failed'
  | 'closed'
  | 'aborted'
  | 'interrupted'
  | 'integrity'
  | 'protocol';

/** The error of a typed channel: a {@link DataChannelError} (`DATA_CHANNEL_FAILED`) with a `reason`. */
export class ChannelError extends DataChannelError {
  /** What went wrong; stable, match on it. */
  declare readonly reason: ChannelErrorReason;
  /** For `aborted`: `true` when the other end aborted. */
  declare readonly remote: boolean;

  constructor(
    label: string,
    reason: ChannelErrorReason,
    detail: string,
    options: { cause?: unknown; remote?: boolean } = {},
  ) {
    super(label, `${reason}: ${detail}`, options.cause);
    // The base class types `name` as its own literal; minifiers rename classes (see PeerStateError).
    Object.defineProperty(this, 'name', {
      value: 'ChannelError',
      configurable: true,
      writable: true,
    });
    this.reason = reason;
    this.remote = options.remote ?? false;
  }
}
