/**
 * The wire format of a typed channel. A text message is a codec's string as it is; every binary
 * message starts with a kind byte, so messages and transfer chunks share one ordered SCTP stream
 * (a chunk never overtakes the message sent before it).
 *
 * | kind | body |
 * | --- | --- |
 * | 0 message | the codec's bytes |
 * | 1 start | u32 transfer id, then JSON {@link TransferHeader} |
 * | 2 chunk | u32 transfer id, u32 sequence number, the bytes |
 * | 3 end | u32 transfer id, then JSON `{ size, sha256 }` |
 * | 4 abort | u32 transfer id (the sender's), then the reason as text |
 * | 5 cancel | u32 transfer id (the receiver's of the other end), then the reason as text |
 * @module
 */

export const MESSAGE = 0;
export const START = 1;
export const CHUNK = 2;
export const END = 3;
export const ABORT = 4;
export const CANCEL = 5;

/** Bytes before a chunk's payload. */
export const CHUNK_HEADER = 9;

/** What the receiver learns when a transfer starts. */
export interface TransferHeader {
  /** Total bytes, `null` for a stream of unknown length. */
  readonly size: number | null;
  /** A name the sender gave (a file name). */
  readonly name?: string;
  /** MIME type, as `Blob.type`. */
  readonly type?: string;
  /** Whatever the sender attached, as JSON. */
  readonly meta?: unknown;
}

/** The end of a transfer: its size, and its SHA-256 (hex) when the sender computed it. */
export interface TransferEnd {
  readonly size: number;
  readonly sha256: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function messageFrame(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(bytes.byteLength + 1);
  frame[0] = MESSAGE;
  frame.set(bytes, 1);
  return frame;
}

/** A control frame: kind, transfer id, a text body. */
export function controlFrame(kind: number, id: number, body: string): Uint8Array<ArrayBuffer> {
  const text = encoder.encode(body);
  const frame = new Uint8Array(5 + text.byteLength);
  const view = new DataView(frame.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, id);
  frame.set(text, 5);
  return frame;
}

export function chunkFrame(id: number, seq: number, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(CHUNK_HEADER + bytes.byteLength);
  const view = new DataView(frame.buffer);
  view.setUint8(0, CHUNK);
  view.setUint32(1, id);
  view.setUint32(5, seq);
  frame.set(bytes, CHUNK_HEADER);
  return frame;
}

/** A binary frame read back; `null` when it is too short or of an unknown kind. */
export type Frame =
  | { readonly kind: typeof MESSAGE; readonly bytes: Uint8Array }
  | {
      readonly kind: typeof CHUNK;
      readonly id: number;
      readonly seq: number;
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: typeof START | typeof END | typeof ABORT | typeof CANCEL;
      readonly id: number;
      readonly body: string;
    };

export function readFrame(data: ArrayBuffer): Frame | null {
  const frame = new Uint8Array(data);
  if (frame.byteLength < 1) return null;
  const kind = frame[0];
  if (kind === MESSAGE) return { kind, bytes: frame.subarray(1) };
  if (frame.byteLength < 5) return null;
  const view = new DataView(data);
  const id = view.getUint32(1);
  if (kind === CHUNK) {
    if (frame.byteLength < CHUNK_HEADER) return null;
    return { kind, id, seq: view.getUint32(5), bytes: frame.subarray(CHUNK_HEADER) };
  }
  if (kind === START || kind === END || kind === ABORT || kind === CANCEL) {
    return { kind, id, body: decoder.decode(frame.subarray(5)) };
  }
  return null;
}
