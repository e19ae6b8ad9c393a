/**
 * Validation of a `candidate` message (a `null` candidate is the end of candidates).
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import type { SignalingLimits } from '../limits.js';
import { createCandidateMessage } from '../messages.js';
import type { CandidateMessage } from '../types.js';
import { describeValue } from './describe.js';
import { readGeneration } from './ids.js';
import { isRecord, isString, readChecked, readOwn, UNREADABLE, withinLimit } from './read.js';

/** WebIDL converts `sdpMLineIndex` to an `unsigned short`, so larger values would wrap around. */
const MAX_MLINE_INDEX = 0xffff;

export function validateCandidate(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): CandidateMessage | undefined {
  const init = readOwn(value, 'candidate', '', issues);
  const generation = readGeneration(value, issues);
  if (init === UNREADABLE) return undefined;
  if (init === null) return generation && createCandidateMessage(null, generation);
  if (!isRecord(init)) {
    issues.push({
      path: 'candidate',
      message: `expected a candidate object, or null for the end of candidates, got ${describeValue(init)}`,
    });
    return undefined;
  }
  const before = issues.length;

  const text = readChecked(
    init,
    'candidate',
    'candidate',
    issues,
    isString,
    "a candidate string (empty for the end of a section's candidates)",
  );
  let candidateText: string | undefined;
  if (
    typeof text === 'string' &&
    withinLimit(text, limits.maxCandidateLength, 'candidate.candidate', issues)
  ) {
    if (text === '' || text.startsWith('candidate:')) {
      candidateText = text;
    } else {
      issues.push({
        path: 'candidate.candidate',
        message: 'must start with "candidate:" (or be empty for the end of candidates)',
      });
    }
  }

  /** An optional field that defaults to `null`. */
  const nullable = (key: string, valid: (value: unknown) => boolean, expected: string) => {
    const read = readChecked(
      init,
      key,
      'candidate',
      issues,
      (v) => v == null || valid(v),
      expected,
    );
    return read === UNREADABLE ? read : (read ?? null);
  };
  const sdpMid = nullable('sdpMid', isString, 'a string or null');
  const sdpMLineIndex = nullable(
    'sdpMLineIndex',
    (index) =>
      Number.isInteger(index) && (index as number) >= 0 && (index as number) <= MAX_MLINE_INDEX,
    `an integer from 0 to ${MAX_MLINE_INDEX}, or null`,
  );
  const usernameFragment = nullable('usernameFragment', isString, 'a string or null');

  if (candidateText && sdpMid === null && sdpMLineIndex === null) {
    // addIceCandidate rejects this with a TypeError: the candidate would belong to no section.
    issues.push({
      path: 'candidate',
      message: 'sdpMid and sdpMLineIndex cannot both be null for a non-empty candidate',
    });
  }

  // An unreadable or refused field has recorded an issue.
  if (issues.length !== before || !generation || candidateText === undefined) return undefined;
  // The message's ufrag names the generation; the candidate's own is the fallback.
  return createCandidateMessage(
    {
      candidate: candidateText,
      sdpMid: sdpMid as string | null,
      sdpMLineIndex: sdpMLineIndex as number | null,
      usernameFragment: usernameFragment as string | null,
    },
    generation,
  );
}
