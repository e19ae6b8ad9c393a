/**
 * Validation of a `candidate` message (a `null` candidate is the end of candidates).
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { type CandidateMessage, SIGNALING_VERSION } from '../types.js';
import { describeValue } from './describe.js';
import { readGeneration } from './ids.js';
import { isRecord, readNullable, readOwn } from './read.js';

/** WebIDL converts `sdpMLineIndex` to an `unsigned short`, so larger values would wrap around. */
const MAX_MLINE_INDEX = 0xffff;

export function validateCandidate(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): CandidateMessage | undefined {
  const field = readOwn(value, 'candidate', '', issues);
  const generation = readGeneration(value, issues);
  if (!field.ok) return undefined;
  if (field.value === null) {
    if (!generation.ok) return undefined;
    return Object.freeze({
      v: SIGNALING_VERSION,
      type: 'candidate',
      candidate: null,
      ...generation.value,
    });
  }
  if (!isRecord(field.value)) {
    issues.push({
      path: 'candidate',
      message: `expected a candidate object, or null for the end of candidates, got ${describeValue(field.value)}`,
    });
    return undefined;
  }
  const init = field.value;
  const before = issues.length;

  const candidate = readOwn(init, 'candidate', 'candidate', issues);
  let candidateText: string | undefined;
  if (candidate.ok) {
    const text = candidate.value;
    if (typeof text !== 'string') {
      issues.push({
        path: 'candidate.candidate',
        message: `expected a candidate string (empty for the end of a section's candidates), got ${describeValue(text)}`,
      });
    } else if (text.length > limits.maxCandidateLength) {
      issues.push({
        path: 'candidate.candidate',
        message: `is ${text.length} characters, over the limit of ${limits.maxCandidateLength}`,
      });
    } else if (text !== '' && !text.startsWith('candidate:')) {
      issues.push({
        path: 'candidate.candidate',
        message: 'must start with "candidate:" (or be empty for the end of candidates)',
      });
    } else {
      candidateText = text;
    }
  }

  const sdpMid = readNullable(init, 'sdpMid', issues, (mid) =>
    typeof mid === 'string' ? undefined : 'a string or null',
  );
  const sdpMLineIndex = readNullable(init, 'sdpMLineIndex', issues, (index) =>
    typeof index === 'number' && Number.isInteger(index) && index >= 0 && index <= MAX_MLINE_INDEX
      ? undefined
      : `an integer from 0 to ${MAX_MLINE_INDEX}, or null`,
  );
  const usernameFragment = readNullable(init, 'usernameFragment', issues, (ufrag) =>
    typeof ufrag === 'string' ? undefined : 'a string or null',
  );

  if (
    candidateText !== undefined &&
    candidateText !== '' &&
    sdpMid.ok &&
    sdpMid.value === null &&
    sdpMLineIndex.ok &&
    sdpMLineIndex.value === null
  ) {
    // addIceCandidate rejects this with a TypeError: the candidate would belong to no section.
    issues.push({
      path: 'candidate',
      message: 'sdpMid and sdpMLineIndex cannot both be null for a non-empty candidate',
    });
  }

  if (
    issues.length !== before ||
    !generation.ok ||
    candidateText === undefined ||
    !sdpMid.ok ||
    !sdpMLineIndex.ok ||
    !usernameFragment.ok
  ) {
    return undefined;
  }
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'candidate',
    candidate: Object.freeze({
      candidate: candidateText,
      sdpMid: sdpMid.value as string | null,
      sdpMLineIndex: sdpMLineIndex.value as number | null,
      usernameFragment: usernameFragment.value as string | null,
    }),
    // The message's ufrag names the generation; the candidate's own is the fallback.
    ufrag: generation.value.ufrag ?? (usernameFragment.value as string | null),
    epoch: generation.value.epoch,
  });
}
