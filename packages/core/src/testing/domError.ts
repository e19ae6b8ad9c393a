/**
 * The errors a browser's WebRTC and media APIs throw, built the same way: `DOMException`s with
 * the WebIDL names, and `RTCError`-like `OperationError`s carrying `errorDetail`.
 * @module
 */

/** The DOMException names the fakes throw. */
export type FakeDomErrorName =
  | 'InvalidStateError'
  | 'InvalidAccessError'
  | 'InvalidModificationError'
  | 'OperationError'
  | 'NotFoundError'
  | 'NotAllowedError'
  | 'NotReadableError'
  | 'OverconstrainedError'
  | 'SyntaxError'
  | 'DataError';

/** A `DOMException` named like the one a browser throws. */
export function domError(name: FakeDomErrorName, message: string): DOMException {
  return new DOMException(message, name);
}

/** What an `RTCError` adds to its `OperationError` (webrtc-pc §11.1). */
export interface FakeRtcErrorFields {
  readonly errorDetail: RTCErrorDetailType;
  readonly sdpLineNumber?: number;
}

/**
 * An `RTCError`: Node has no such class, so this is a `DOMException` named `OperationError`
 * with the same extra fields.
 */
export function rtcError(message: string, fields: FakeRtcErrorFields): DOMException {
  return Object.assign(domError('OperationError', message), fields);
}
