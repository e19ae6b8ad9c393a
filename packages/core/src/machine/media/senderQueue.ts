/**
 * One operation at a time per sender. `replaceTrack` settles asynchronously; a second
 * replacement sent before the first settled must find the sender by the track the first one
 * puts on it, and must run after it (or the sender would end with whichever settled last).
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';

interface SenderQueues {
  /** The tail of each sender's chain of operations. */
  readonly tails: Map<RTCRtpSender, Promise<void>>;
  /** Tracks being put on a sender by a queued operation. */
  readonly heading: Map<MediaStreamTrack, RTCRtpSender>;
}

// Keyed by connection, so a closed connection's queues go with it.
const queues = new WeakMap<PeerConnectionLike, SenderQueues>();

function queuesOf(pc: PeerConnectionLike): SenderQueues {
  let found = queues.get(pc);
  if (!found) {
    found = { tails: new Map(), heading: new Map() };
    queues.set(pc, found);
  }
  return found;
}

/** The sender a queued operation is putting `track` on, if any. */
export function senderHeadingFor(
  pc: PeerConnectionLike,
  track: MediaStreamTrack,
): RTCRtpSender | undefined {
  return queues.get(pc)?.heading.get(track);
}

/**
 * Runs `operation` once every earlier operation on `sender` has settled. `operation` reports its
 * own outcome and never rejects; the promise settles after it.
 */
export function afterOnSender(
  pc: PeerConnectionLike,
  sender: RTCRtpSender,
  withTrack: MediaStreamTrack | null,
  operation: () => Promise<void>,
): Promise<void> {
  const { tails, heading } = queuesOf(pc);
  if (withTrack) heading.set(withTrack, sender);
  const tail = (tails.get(sender) ?? Promise.resolve()).then(operation).finally(() => {
    if (withTrack && heading.get(withTrack) === sender) heading.delete(withTrack);
    if (tails.get(sender) === tail) tails.delete(sender);
  });
  tails.set(sender, tail);
  return tail;
}
