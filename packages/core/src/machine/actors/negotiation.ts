import { fromPromise } from 'xstate';
import { isDomError, NegotiationError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import type { DescriptionPayload } from '../../signaling/types.js';
import { type MovedTrack, sendOnOfferedMlines } from '../negotiation/answerOnOfferedMlines.js';
import type { LocalTrack, MediaIntent, RollbackMode } from '../types.js';

function localDescriptionOf(pc: PeerConnectionLike, step: 'createOffer' | 'createAnswer') {
  const description = pc.localDescription;
  if (!description || description.type === 'rollback' || !description.sdp) {
    throw new NegotiationError(step, new Error('no local description after setLocalDescription'));
  }
  return { type: description.type, sdp: description.sdp } satisfies DescriptionPayload;
}

/**
 * Creates and applies an offer. `setLocalDescription()` without an argument lets the engine pick
 * the description type from its own state, which closes the race that makes a separate
 * `createOffer` + `setLocalDescription(offer)` fail when a remote offer lands in between.
 */
export const makeOffer = fromPromise<DescriptionPayload, { readonly pc: PeerConnectionLike }>(
  async ({ input: { pc } }) => {
    try {
      await pc.setLocalDescription();
    } catch (cause) {
      throw new NegotiationError('setLocalDescription', cause);
    }
    return localDescriptionOf(pc, 'createOffer');
  },
);

/** The answer made, and the tracks of ours it sends on the offer's m-lines. */
export interface MadeAnswer extends DescriptionPayload {
  readonly moved: readonly MovedTrack[];
}

/**
 * Creates and applies the answer to the remote offer just set, our new tracks on its new
 * m-lines (negotiation/answerOnOfferedMlines.ts): their directions first, their tracks once the
 * answer is under way.
 */
export const makeAnswer = fromPromise<
  MadeAnswer,
  {
    readonly pc: PeerConnectionLike;
    readonly localTracks: readonly LocalTrack[];
    readonly intent: MediaIntent;
  }
>(async ({ input: { pc, localTracks, intent } }) => {
  const { moved, replace } = sendOnOfferedMlines(pc, localTracks, intent);
  const answered = pc.setLocalDescription();
  const settled = replace();
  try {
    await answered;
  } catch (cause) {
    throw new NegotiationError('setLocalDescription', cause);
  }
  try {
    await settled;
  } catch (cause) {
    throw new NegotiationError('createAnswer', cause);
  }
  return { ...localDescriptionOf(pc, 'createAnswer'), moved };
});

/** What applying a remote description took. */
export interface AppliedRemoteDescription {
  /** The local offer was rolled back (the polite side of a collision). */
  readonly rolledBack: boolean;
  /** The rollback had to be explicit because the engine refused an implicit one. */
  readonly explicitRollback: boolean;
}

/**
 * Applies a remote description. A polite peer with its own offer pending rolls it back first:
 * implicitly where the engine supports it (setRemoteDescription does it), explicitly otherwise.
 */
export const applyRemoteDescription = fromPromise<
  AppliedRemoteDescription,
  {
    readonly pc: PeerConnectionLike;
    readonly description: DescriptionPayload;
    readonly rollback: RollbackMode;
    readonly explicitRollbackLearnt: boolean;
  }
>(async ({ input: { pc, description, rollback, explicitRollbackLearnt } }) => {
  const collides = description.type === 'offer' && pc.signalingState === 'have-local-offer';
  const explicitFirst = collides && (rollback === 'explicit' || explicitRollbackLearnt);

  const rollbackLocal = async () => {
    try {
      await pc.setLocalDescription({ type: 'rollback' });
    } catch (cause) {
      throw new NegotiationError('rollback', cause);
    }
  };

  if (explicitFirst) await rollbackLocal();
  try {
    await pc.setRemoteDescription(description);
    return { rolledBack: collides, explicitRollback: explicitFirst };
  } catch (cause) {
    // Engines without implicit rollback refuse a remote offer in have-local-offer.
    const canRetry =
      collides &&
      !explicitFirst &&
      rollback === 'auto' &&
      isDomError(cause, 'InvalidStateError') &&
      pc.signalingState === 'have-local-offer';
    if (!canRetry) throw new NegotiationError('setRemoteDescription', cause);
  }
  await rollbackLocal();
  try {
    await pc.setRemoteDescription(description);
  } catch (cause) {
    throw new NegotiationError('setRemoteDescription', cause);
  }
  return { rolledBack: true, explicitRollback: true };
});

/** Undoes a local or remote offer that could not be completed, back to `stable`. */
export const makeRollback = fromPromise<void, { readonly pc: PeerConnectionLike }>(
  async ({ input: { pc } }) => {
    try {
      await pc.setLocalDescription({ type: 'rollback' });
    } catch (cause) {
      throw new NegotiationError('rollback', cause);
    }
  },
);
