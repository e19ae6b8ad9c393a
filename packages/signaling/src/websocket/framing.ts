/**
 * Frames as they travel: the `signal` frame a message goes in (measured as sent, so the
 * server's size limit can never close the socket on us), and the checks a server frame passes
 * before it is handled.
 * @module
 */

import { WebSocketSignalingError } from '../errors.js';
import { type ClientFrame, parseServerFrame, type ServerFrame, utf8Length } from './protocol.js';

/** The `signal` frame carrying `data`; `to` sends it to one peer of the room only. */
export function signalFrame(
  seq: number,
  mid: number,
  data: unknown,
  to: string | undefined,
): ClientFrame {
  return { t: 'signal', seq, mid, data, ...(to ? { to } : {}) };
}

/** The size of `frame` on the wire, in UTF-8 bytes. */
export function frameSize(frame: ClientFrame): number {
  return utf8Length(JSON.stringify(frame));
}

/** A server frame, or why it is ignored (binary, over `maxBytes`, not the protocol). */
export function decodeServerFrame(
  data: unknown,
  maxBytes: number,
):
  | { readonly ok: true; readonly frame: ServerFrame }
  | { readonly ok: false; readonly error: WebSocketSignalingError } {
  if (typeof data !== 'string') {
    return {
      ok: false,
      error: new WebSocketSignalingError('WS_INVALID_FRAME', 'Ignored a binary frame'),
    };
  }
  const size = utf8Length(data);
  if (size > maxBytes) {
    return {
      ok: false,
      error: new WebSocketSignalingError(
        'WS_MESSAGE_TOO_LARGE',
        `Ignored a ${size}-byte frame, over maxMessageBytes (${maxBytes})`,
      ),
    };
  }
  const parsed = parseServerFrame(data);
  if (!parsed.ok) {
    return {
      ok: false,
      error: new WebSocketSignalingError('WS_INVALID_FRAME', `Ignored a frame: ${parsed.reason}`),
    };
  }
  return parsed;
}
