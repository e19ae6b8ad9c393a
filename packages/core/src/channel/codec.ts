/**
 * Codecs turn the values of a typed channel into what `RTCDataChannel.send` carries, and back.
 * @module
 */

/** What a codec produces: a string goes as a text message, bytes as a binary one. */
export type Encoded = string | Uint8Array;

/**
 * Encodes and decodes the messages of a typed channel. `decode` throws to reject a message: the
 * channel then emits a `decode` {@link ChannelError} and goes on.
 */
export interface Codec<T> {
  /** The message for a value; throw to refuse it (`send` rejects with `encode`). */
  encode(value: T): Encoded;
  /** The value of a received message; throw to reject it (an `error` event, `decode`). */
  decode(data: Encoded): T;
}

/** A type guard that validates a decoded value (zod's `.safeParse(v).success` fits in one). */
export type Check<T> = (value: unknown) => value is T;

/**
 * JSON text messages. Without `check` the decoded value is trusted to be a `T`; with it, a
 * message that fails the check is rejected.
 */
export function json<T>(check?: Check<T>): Codec<T> {
  return {
    encode: (value) => {
      const text = JSON.stringify(value);
      // `JSON.stringify(undefined)` (and a function) gives no text at all.
      if (typeof text !== 'string') throw new TypeError('the value has no JSON form');
      return text;
    },
    decode: (data) => {
      if (typeof data !== 'string') throw new TypeError('a JSON channel received a binary message');
      const value: unknown = JSON.parse(data);
      if (check !== undefined && !check(value)) throw new TypeError('the message failed its check');
      return value as T;
    },
  };
}

/** Text messages as they are. */
export const text: Codec<string> = {
  encode: (value) => value,
  decode: (data) => {
    if (typeof data !== 'string') throw new TypeError('a text channel received a binary message');
    return data;
  },
};

/** Binary messages as bytes. */
export const binary: Codec<Uint8Array> = {
  encode: (value) => value,
  decode: (data) => {
    if (typeof data === 'string') throw new TypeError('a binary channel received a text message');
    return data;
  },
};
