/**
 * `@peerstatejs/core/internal`: the machine's own events and context types, for tools that look
 * inside a peer (the playground's timeline, tests that drive the machine event by event).
 *
 * **Unstable**: anything here may change in any release, minor or patch. Apps read a peer through
 * `peerView` and its snapshot, and send it the commands of `PeerCommand`.
 * @packageDocumentation
 */
export type {
  AppliedRemoteDescription,
  MadeAnswer,
  NegotiationCommand,
  NegotiationStepRun,
} from '../machine/actors/negotiation.js';
export type { PeerConnectionEventsCommand } from '../machine/actors/peerConnectionEvents.js';
export type { MovedTrack } from '../machine/negotiation/answerOnOfferedMlines.js';
export type {
  BufferedCandidate,
  InboxItem,
  PeerContext,
  PeerEvent,
  PeerInternalEvent,
  RemoteDescription,
} from '../machine/types.js';
