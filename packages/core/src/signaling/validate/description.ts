/**
 * Validation of a `description` message.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { type DescriptionMessage, type DescriptionPayload, SIGNALING_VERSION } from '../types.js';
import { describeValue } from './describe.js';
import { readDescriptionIds } from './ids.js';
import { isRecord, readOwn } from './read.js';

const DESCRIPTION_TYPES = '"offer", "answer" or "pranswer"';

export function validateDescription(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): DescriptionMessage | undefined {
  const field = readOwn(value, 'description', '', issues);
  if (!field.ok) return undefined;
  if (!isRecord(field.value)) {
    issues.push({
      path: 'description',
      message: `expected an object with type and sdp, got ${describeValue(field.value)}`,
    });
    return undefined;
  }
  const description = field.value;

  const type = readOwn(description, 'type', 'description', issues);
  let sdpType: DescriptionPayload['type'] | undefined;
  if (type.ok) {
    if (type.value === 'offer' || type.value === 'answer' || type.value === 'pranswer') {
      sdpType = type.value;
    } else {
      issues.push({
        path: 'description.type',
        message:
          type.value === 'rollback'
            ? 'a rollback is local to a peer and is never sent'
            : `expected ${DESCRIPTION_TYPES}, got ${describeValue(type.value)}`,
      });
    }
  }

  const sdp = readOwn(description, 'sdp', 'description', issues);
  let sdpText: string | undefined;
  if (sdp.ok) {
    if (typeof sdp.value !== 'string') {
      issues.push({
        path: 'description.sdp',
        message: `expected an SDP string, got ${describeValue(sdp.value)}`,
      });
    } else if (sdp.value.length === 0) {
      issues.push({ path: 'description.sdp', message: 'must not be empty' });
    } else if (sdp.value.length > limits.maxSdpLength) {
      issues.push({
        path: 'description.sdp',
        message: `is ${sdp.value.length} characters, over the limit of ${limits.maxSdpLength}`,
      });
    } else if (!sdp.value.startsWith('v=0')) {
      issues.push({ path: 'description.sdp', message: 'must start with "v=0"' });
    } else {
      sdpText = sdp.value;
    }
  }

  const ids = readDescriptionIds(value, sdpType, issues);

  if (sdpType === undefined || sdpText === undefined || !ids.ok) return undefined;
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'description',
    ...ids.value,
    description: Object.freeze({ type: sdpType, sdp: sdpText }),
  });
}
