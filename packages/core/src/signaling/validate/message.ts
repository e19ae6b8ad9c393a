/**
 * Validation of the envelope: JSON text, the schema version and the message type.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { SIGNALING_VERSION, type SignalingMessage } from '../types.js';
import { validateCandidate } from './candidate.js';
import { validateBye, validateMuted, validateRebuild } from './control.js';
import { describeError, describeValue, quote } from './describe.js';
import { validateDescription } from './description.js';
import { isRecord, readOwn, UNREADABLE, withinLimit } from './read.js';

const MESSAGE_TYPES = '"description", "candidate", "bye", "rebuild" or "muted"';

/** The parsed JSON value, or {@link UNREADABLE} with the issue recorded. */
export function parseJson(
  text: string,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): unknown {
  if (!withinLimit(text, limits.maxMessageLength, '', issues, 'JSON text ')) return UNREADABLE;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    issues.push({ path: '', message: `invalid JSON: ${describeError(error)}` });
    return UNREADABLE;
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
  if (v !== UNREADABLE && v !== SIGNALING_VERSION) {
    if (typeof v === 'number') {
      issues.push({
        path: 'v',
        message: `unsupported protocol version ${v} (this SDK speaks version ${SIGNALING_VERSION})`,
      });
      // A message from another schema version cannot be judged by this version's rules;
      // listing its "mistakes" would only bury the real problem.
      return undefined;
    }
    issues.push({
      path: 'v',
      message: `expected the schema version ${SIGNALING_VERSION}, got ${describeValue(v)}`,
    });
  }

  const type = readOwn(value, 'type', '', issues);
  // A switch, not a lookup table: `type` is untrusted, and may be "__proto__" or "constructor".
  switch (type) {
    case 'description':
      return validateDescription(value, limits, issues);
    case 'candidate':
      return validateCandidate(value, limits, issues);
    case 'bye':
      return validateBye(value, limits, issues);
    case 'rebuild':
      return validateRebuild(value, limits, issues);
    case 'muted':
      return validateMuted(value, limits, issues);
    case UNREADABLE:
      return undefined;
    default:
      issues.push({
        path: 'type',
        message:
          typeof type === 'string'
            ? `unknown message type ${quote(type)}; expected ${MESSAGE_TYPES}`
            : `expected ${MESSAGE_TYPES}, got ${describeValue(type)}`,
      });
      return undefined;
  }
}
