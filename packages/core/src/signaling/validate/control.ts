/**
 * Validation of the control messages: `bye`, `rebuild` and `muted`.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { createByeMessage, createMutedMessage, createRebuildMessage } from '../messages.js';
import type { ByeMessage, MutedMessage, RebuildMessage } from '../types.js';
import { readChecked, UNREADABLE, withinLimit } from './read.js';

export function validateBye(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): ByeMessage | undefined {
  const reason = readChecked(
    value,
    'reason',
    '',
    issues,
    (text) => text === undefined || typeof text === 'string',
    'a string or no reason',
  ) as string | undefined | typeof UNREADABLE;
  if (reason === UNREADABLE) return undefined;
  if (reason !== undefined && !withinLimit(reason, limits.maxReasonLength, 'reason', issues)) {
    return undefined;
  }
  return createByeMessage(reason);
}

export function validateRebuild(
  value: object,
  _limits: SignalingLimits,
  issues: SignalingIssue[],
): RebuildMessage | undefined {
  const epoch = readChecked(
    value,
    'epoch',
    '',
    issues,
    (n) => Number.isSafeInteger(n) && (n as number) >= 1,
    'a positive integer',
  );
  return epoch === UNREADABLE ? undefined : createRebuildMessage(epoch as number);
}

/** More transceivers than any call has; a longer list is refused, not held. */
export const MAX_MUTED_MIDS = 256;
/** RFC 8843 puts no bound on a mid; engines write a few characters (`0`, `1`, …). */
export const MAX_MID_LENGTH = 64;

export function validateMuted(
  value: object,
  _limits: SignalingLimits,
  issues: SignalingIssue[],
): MutedMessage | undefined {
  const mids = readChecked(
    value,
    'mids',
    '',
    issues,
    (list) =>
      Array.isArray(list) &&
      list.length <= MAX_MUTED_MIDS &&
      list.every(
        (mid) => typeof mid === 'string' && mid.length > 0 && mid.length <= MAX_MID_LENGTH,
      ),
    `an array of at most ${MAX_MUTED_MIDS} mids (strings of 1 to ${MAX_MID_LENGTH} characters)`,
  );
  return mids === UNREADABLE ? undefined : createMutedMessage(mids as string[]);
}
