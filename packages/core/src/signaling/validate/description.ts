/**
 * Validation of a `description` message.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { createDescriptionMessage } from '../messages.js';
import type { DescriptionMessage, DescriptionPayload } from '../types.js';
import { describeValue } from './describe.js';
import { readDescriptionIds } from './ids.js';
import { isRecord, isString, readChecked, readOwn, UNREADABLE, withinLimit } from './read.js';

const DESCRIPTION_TYPES = '"offer", "answer" or "pranswer"';

export function validateDescription(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): DescriptionMessage | undefined {
  const description = readChecked(
    value,
    'description',
    '',
    issues,
    isRecord,
    'an object with type and sdp',
  ) as object | typeof UNREADABLE;
  if (description === UNREADABLE) return undefined;

  const type = readOwn(description, 'type', 'description', issues);
  let sdpType: DescriptionPayload['type'] | undefined;
  if (type === 'offer' || type === 'answer' || type === 'pranswer') {
    sdpType = type;
  } else if (type !== UNREADABLE) {
    issues.push({
      path: 'description.type',
      message:
        type === 'rollback'
          ? 'a rollback is local to a peer and is never sent'
          : `expected ${DESCRIPTION_TYPES}, got ${describeValue(type)}`,
    });
  }

  const sdp = readChecked(description, 'sdp', 'description', issues, isString, 'an SDP string');
  let sdpText: string | undefined;
  if (sdp === '') {
    issues.push({ path: 'description.sdp', message: 'must not be empty' });
  } else if (
    typeof sdp === 'string' &&
    withinLimit(sdp, limits.maxSdpLength, 'description.sdp', issues)
  ) {
    if (sdp.startsWith('v=0')) sdpText = sdp;
    else issues.push({ path: 'description.sdp', message: 'must start with "v=0"' });
  }

  const ids = readDescriptionIds(value, sdpType, issues);
  // Every field checked above: the builder's own checks hold, it cannot throw here.
  return sdpType && sdpText && ids
    ? createDescriptionMessage({ type: sdpType, sdp: sdpText }, ids)
    : undefined;
}
