/**
 * The signaling contract: what peers send each other, and the channel that carries it.
 * @module
 */

/**
 * The schema version every message carries in `v`. Version 2 ties every answer to the offer it
 * answers (`id`, `inReplyTo`) and every candidate to its ICE generation (`ufrag`) and connection
 * epoch; a message of any other version is refused with `INVALID_SIGNALING_MESSAGE`.
 */
export const SIGNALING_VERSION = 2;

/** A session description on the wire. `rollback` never travels. */
export interface DescriptionPayload {
  readonly type: 'offer' | 'answer' | 'pranswer';
  readonly sdp: string;
}

/** An ICE candidate on the wire (the shape of `RTCIceCandidate.toJSON()`). */
export interface CandidatePayload {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
}

/** An offer or an answer. */
export interface DescriptionMessage {
  readonly v: typeof SIGNALING_VERSION;
  readonly type: 'description';
  /**
   * Unique per sender and connection epoch (the SDK writes `instance:epoch:n`). A resent offer
   * keeps its id, so the answerer recognises the repeat and answers it again as it did.
   */
  readonly id: string;
  /**
   * On an answer (or pranswer): the `id` of the offer it answers; the offerer applies only the
   * answer to its pending offer. `null` on an offer.
   */
  readonly inReplyTo: string | null;
  readonly description: DescriptionPayload;
}

/** A trickled candidate; `candidate: null` announces the end of candidates. */
export interface CandidateMessage {
  readonly v: typeof SIGNALING_VERSION;
  readonly type: 'candidate';
  readonly candidate: CandidatePayload | null;
  /**
   * The ICE generation the candidate (or the end of candidates) belongs to: the sender's
   * `a=ice-ufrag`. After an ICE restart, a late message of the old generation is dropped.
   * `null` when the sender does not know it (it then counts for the current generation).
   */
  readonly ufrag: string | null;
  /** The sender's connection epoch (0, +1 per rebuild): a candidate of an older one is dropped. */
  readonly epoch: number;
}

/** The remote peer hung up. */
export interface ByeMessage {
  readonly v: typeof SIGNALING_VERSION;
  readonly type: 'bye';
  readonly reason?: string;
}

/**
 * Both peers replace their peer connection (its transport died, or ICE restarts ran out): the
 * sender moves to connection `epoch` (1 for the first rebuild) and waits for the same message
 * back before it takes any description or candidate again. A peer that receives an `epoch`
 * above its own rebuilds and answers with that epoch; an `epoch` it has already reached is a
 * repeat and is ignored.
 */
export interface RebuildMessage {
  readonly v: typeof SIGNALING_VERSION;
  readonly type: 'rebuild';
  /** A positive integer: the connection generation both peers move to. */
  readonly epoch: number;
}

/**
 * What the sender has muted (`SET_MUTED`, guide 14): the `mid` of every transceiver whose track
 * it muted, the whole set each time (so a lost or reordered message is corrected by the next).
 * Sent when it changes and after every negotiation while something is muted; the receiver marks
 * its remote tracks of those mids `mutedByPeer`. A peer that does not know the type refuses it
 * as an invalid message and goes on: the call works, the mute is not shown.
 */
export interface MutedMessage {
  readonly v: typeof SIGNALING_VERSION;
  readonly type: 'muted';
  readonly mids: readonly string[];
}

/** Every message peers exchange. Validate incoming ones with `parseSignalingMessage`. */
export type SignalingMessage =
  | DescriptionMessage
  | CandidateMessage
  | ByeMessage
  | RebuildMessage
  | MutedMessage;

/**
 * A bidirectional pipe between two peers. The SDK sends validated messages and treats whatever
 * arrives as untrusted (`unknown`): every incoming value is validated before it is used.
 *
 * @example
 * ```ts
 * const channel: SignalingChannel = {
 *   send: (message) => socket.send(JSON.stringify(message)),
 *   subscribe: (listener) => {
 *     const onMessage = (event: MessageEvent) => listener(event.data);
 *     socket.addEventListener('message', onMessage);
 *     return () => socket.removeEventListener('message', onMessage);
 *   },
 * };
 * ```
 */
export interface SignalingChannel {
  /** Deliver a message to the remote peer. May throw or reject; the SDK reports it as an error. */
  send(message: SignalingMessage): void | Promise<void>;
  /**
   * Receive messages from the remote peer. Strings are parsed as JSON. Returns an unsubscribe
   * function, which the SDK calls when the peer closes.
   */
  subscribe(listener: (message: unknown) => void): () => void;
}
