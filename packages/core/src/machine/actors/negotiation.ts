/**
 * The negotiation steps the signaling region asks the engine for, one at a time: each state
 * (`makingOffer`, `settingRemoteDescription`, `answering`, `rollingBack`) sends its step, with
 * the context it was entered with, to the `peerConnectionEvents` actor on entry (the `negotiate`
 * action, a `sendTo`: XState sends it once the transition is over, where it started an invoked
 * actor, so the engine sees its calls in the same order) and leaves on the `pc.stepDone` or
 * `pc.stepFailed` it reports back.
 *
 * Not promise actors (#22): each invoked `fromPromise` was an actor of its own, created and
 * stopped per step (four per call, ~110 KiB allocated in Chromium), and its done event went
 * through two actors. The signaling region leaves these states only on their step's result (or
 * with `active`, which stops the listener: a step that settles after that reports nothing), so
 * the result that arrives is always the current step's.
 * @module
 */
import { isDomError, NegotiationError, type NegotiationStep } from '../../errors.js';
import { offersInTwoSteps } from '../../platform/offersInTwoSteps.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import type { DescriptionPayload } from '../../signaling/types.js';
import { type MovedTrack, sendOnOfferedMlines } from '../negotiation/answerOnOfferedMlines.js';
import type { PeerContext, PeerInternalEvent, RemoteDescription } from '../types.js';

function localDescriptionOf(pc: PeerConnectionLike, step: 'createOffer' | 'createAnswer') {
  const description = pc.localDescription;
  if (!description || description.type === 'rollback' || !description.sdp) {
    throw new NegotiationError(step, new Error('no local description after setLocalDescription'));
  }
  return { type: description.type, sdp: description.sdp } satisfies DescriptionPayload;
}

/** One engine call; its failure becomes a `NegotiationError` of `step`. */
async function engine<T>(step: NegotiationStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new NegotiationError(step, cause);
  }
}

/**
 * Creates and applies an offer. `setLocalDescription()` without an argument lets the engine pick
 * the description type from its own state, which closes the race that makes a separate
 * `createOffer` + `setLocalDescription(offer)` fail when a remote offer lands in between.
 */
export const makeOffer: NegotiationStepRun = async (pc) => {
  await engine('setLocalDescription', () => pc.setLocalDescription());
  return { type: 'pc.stepDone', output: localDescriptionOf(pc, 'createOffer') };
};

/** The answer made, and the tracks of ours it sends on the offer's m-lines. */
export interface MadeAnswer extends DescriptionPayload {
  readonly moved: readonly MovedTrack[];
}

/**
 * Creates and applies the answer to the remote offer just set, our new tracks on its new
 * m-lines (negotiation/answerOnOfferedMlines.ts): their directions first, their tracks once the
 * answer is under way.
 */
export const makeAnswer: NegotiationStepRun = async (pc, { localTracks, intent }) => {
  const { moved, replace } = sendOnOfferedMlines(pc, localTracks, intent);
  const answered = pc.setLocalDescription();
  const settled = replace();
  await engine('setLocalDescription', () => answered);
  await engine('createAnswer', () => settled);
  return { type: 'pc.stepDone', output: { ...localDescriptionOf(pc, 'createAnswer'), moved } };
};

/** What applying a remote description took. */
export interface AppliedRemoteDescription {
  /** The local offer was rolled back (the polite side of a collision). */
  readonly rolledBack: boolean;
  /** The rollback had to be explicit because the engine refused an implicit one. */
  readonly explicitRollback: boolean;
}

/** `setLocalDescription({ type: 'rollback' })`, its failure a `rollback` error. */
const rollBack = (pc: PeerConnectionLike) =>
  engine('rollback', () => pc.setLocalDescription({ type: 'rollback' }));

/**
 * Applies a remote description. A polite peer with its own offer pending rolls it back first:
 * implicitly where the engine supports it (setRemoteDescription does it), explicitly otherwise.
 * `behind` is our offer's step still under way ({@link yieldBehindOwnOffer}).
 */
export const applyRemoteDescription: NegotiationStepRun = async (pc, context, behind) => {
  const { description } = context.pendingRemoteDescription as RemoteDescription;
  if (behind) return yieldBehindOwnOffer(pc, description, context, behind);
  const { rollback } = context.options;
  const collides = description.type === 'offer' && pc.signalingState === 'have-local-offer';
  const explicitFirst = collides && (rollback === 'explicit' || context.explicitRollback);

  if (explicitFirst) await rollBack(pc);
  try {
    await pc.setRemoteDescription(description);
    return {
      type: 'pc.stepDone',
      output: { rolledBack: collides, explicitRollback: explicitFirst },
    };
  } catch (cause) {
    if (!canRollBackAfter(cause, collides && !explicitFirst, pc, context)) {
      throw new NegotiationError('setRemoteDescription', cause);
    }
  }
  return rollBackThenApply(pc, description);
};

/** Engines without implicit rollback refuse a remote offer in have-local-offer. */
function canRollBackAfter(
  cause: unknown,
  implicit: boolean,
  pc: PeerConnectionLike,
  context: PeerContext,
): boolean {
  return (
    implicit &&
    context.options.rollback === 'auto' &&
    isDomError(cause, 'InvalidStateError') &&
    pc.signalingState === 'have-local-offer'
  );
}

async function rollBackThenApply(
  pc: PeerConnectionLike,
  description: RTCSessionDescriptionInit,
): Promise<PeerInternalEvent> {
  await rollBack(pc);
  await engine('setRemoteDescription', () => pc.setRemoteDescription(description));
  return { type: 'pc.stepDone', output: { rolledBack: true, explicitRollback: true } };
}

/**
 * The polite peer's answer to an offer that arrives while its own `setLocalDescription()` runs
 * (W3C webrtc-pc §10.7: perfect negotiation calls `setRemoteDescription` at once, its implicit
 * rollback, §4.4.1.5, undoing our offer). The engine's operations chain (§4.4.1.2) runs it right
 * after our offer, with no hop through the page: waiting for our offer's result first and only
 * then applying put the glare answer ~4 ms later in Chromium (apps/bench `--trace=glare`, both
 * peers in one page: the other peer's work ran in between). Where our offer is made in two
 * calls (platform/offersInTwoSteps.ts) the chain is empty between them, and a remote offer
 * applied there would take our offer's place: that waits for our offer first. `behind` tells
 * whether our offer was set; its description is still sent (`pc.offerBehind`), as the impolite
 * peer expects to ignore it (and the candidates of its ICE generation).
 */
async function yieldBehindOwnOffer(
  pc: PeerConnectionLike,
  description: RTCSessionDescriptionInit,
  context: PeerContext,
  behind: Promise<boolean>,
): Promise<PeerInternalEvent> {
  const apply = () => pc.setRemoteDescription(description);
  const applied = offersInTwoSteps.has(pc) ? behind.then(apply) : apply();
  const [offered, outcome] = await Promise.allSettled([behind, applied]);
  const collided = offered.status === 'fulfilled' && offered.value;
  if (outcome.status === 'fulfilled') {
    return { type: 'pc.stepDone', output: { rolledBack: collided, explicitRollback: false } };
  }
  if (!canRollBackAfter(outcome.reason, collided, pc, context)) {
    throw new NegotiationError('setRemoteDescription', outcome.reason);
  }
  return rollBackThenApply(pc, description);
}

/** Undoes a local or remote offer that could not be completed, back to `stable`. */
export const makeRollback: NegotiationStepRun = (pc) =>
  rollBack(pc).then(() => ({ type: 'pc.stepDone', output: {} }));

/**
 * A negotiation step: what it calls on the connection, from the context its state was entered
 * with, and the event its result comes back as.
 */
export type NegotiationStepRun = (
  pc: PeerConnectionLike,
  context: PeerContext,
  /** The step still under way when this one was sent: `true` once it succeeded. */
  behind: Promise<boolean> | null,
) => Promise<PeerInternalEvent>;

/** Tells the connection's listener to run a step (the `negotiate` action). */
export interface NegotiationCommand {
  readonly type: 'negotiate';
  readonly run: NegotiationStepRun;
  readonly context: PeerContext;
}
