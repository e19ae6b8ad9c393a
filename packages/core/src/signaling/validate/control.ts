/**
 * Validation of the control messages: `bye` and `rebuild`.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { createRebuildMessage } from '../messages.js';
import { type ByeMessage, type RebuildMessage, SIGNALING_VERSION } from '../types.js';
import { describeValue } from './describe.js';
import { readOwn } from './read.js';

export function validateBye(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): ByeMessage | undefined {
  const reason = readOwn(value, 'reason', '', issues);
  if (!reason.ok) return undefined;
  if (reason.value === undefined) return Object.freeze({ v: SIGNALING_VERSION, type: 'bye' });
  if (typeof reason.value !== 'string') {
    issues.push({
      path: 'reason',
      message: `expected a string or no reason, got ${describeValue(reason.value)}`,
    });
    return undefined;
  }
  if (reason.value.length > limits.maxReasonLength) {
    issues.push({
      path: 'reason',
      message: `is ${reason.value.length} characters, over the limit of ${limits.maxReasonLength}`,
    });
    return undefined;
  }
  return Object.freeze({ v: SIGNALING_VERSION, type: 'bye', reason: reason.value });
}

export function validateRebuild(
  value: object,
  issues: SignalingIssue[],
): RebuildMessage | undefined {
  const epoch = readOwn(value, 'epoch', '', issues);
  if (!epoch.ok) return undefined;
  if (typeof epoch.value !== 'number' || !Number.isSafeInteger(epoch.value) || epoch.value < 1) {
    issues.push({
      path: 'epoch',
      message: `expected a positive integer, got ${describeValue(epoch.value)}`,
    });
    return undefined;
  }
  return createRebuildMessage(epoch.value);
}
