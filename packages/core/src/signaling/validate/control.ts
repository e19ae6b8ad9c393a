/**
 * Validation of the control messages: `bye` and `rebuild`.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { createByeMessage, createRebuildMessage } from '../messages.js';
import type { ByeMessage, RebuildMessage } from '../types.js';
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
