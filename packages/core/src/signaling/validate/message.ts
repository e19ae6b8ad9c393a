/**
 * Validation of the envelope: JSON text, the schema version and the message type.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { SIGNALING_VERSION, type SignalingMessage } from '../types.js';
import { validateCandidate } from './candidate.js';
import { validateBye, validateRebuild } from './control.js';
import { describeError, describeValue, quote } from './describe.js';
import { validateDescription } from './description.js';
import { isRecord, readOwn } from './read.js';

const MESSAGE_TYPES = '"description", "candidate", "bye" or "rebuild"';

export function parseJson(
  text: string,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): { ok: boolean; value: unknown } {
  if (text.length > limits.maxMessageLength) {
    issues.push({
      path: '',
      message: `JSON text is ${text.length} characters, over the limit of ${limits.maxMessageLength}`,
    });
    return { ok: false, value: undefined };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    issues.push({ path: '', message: `invalid JSON: ${describeError(error)}` });
    return { ok: false, value: undefined };
  }
}

export function validateMessage(
  value: unknown,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): SignalingMessage | undefined {
  if (!isRecord(value)) {
    issues.push({ path: '', message: `expected a message object, got ${describeValue(value)}` });
    return undefined;
  }
  const v = readOwn(value, 'v', '', issues);
  if (v.ok) {
    if (typeof v.value === 'number') {
      if (v.value !== SIGNALING_VERSION) {
        issues.push({
          path: 'v',
          message: `unsupported protocol version ${v.value} (this SDK speaks version ${SIGNALING_VERSION})`,
        });
        // A message from another schema version cannot be judged by this version's rules;
        // listing its "mistakes" would only bury the real problem.
        return undefined;
      }
    } else {
      issues.push({
        path: 'v',
        message: `expected the schema version ${SIGNALING_VERSION}, got ${describeValue(v.value)}`,
      });
    }
  }

  const type = readOwn(value, 'type', '', issues);
  if (!type.ok) return undefined;
  switch (type.value) {
    case 'description':
      return validateDescription(value, limits, issues);
    case 'candidate':
      return validateCandidate(value, limits, issues);
    case 'bye':
      return validateBye(value, limits, issues);
    case 'rebuild':
      return validateRebuild(value, issues);
    default:
      issues.push({
        path: 'type',
        message:
          typeof type.value === 'string'
            ? `unknown message type ${quote(type.value)}; expected ${MESSAGE_TYPES}`
            : `expected ${MESSAGE_TYPES}, got ${describeValue(type.value)}`,
      });
      return undefined;
  }
}
