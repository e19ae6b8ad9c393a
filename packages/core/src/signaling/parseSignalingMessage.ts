/**
 * Validation of incoming signaling messages (the builders for outgoing ones are in messages.ts).
 *
 * Whatever arrives on a signaling channel is untrusted: it may come from another SDK version, a
 * buggy server, or an attacker. {@link parseSignalingMessage} therefore reads only own properties,
 * never throws, reports every problem it finds, and returns a fresh frozen copy that shares
 * nothing with the input.
 * @module
 */

import { type SignalingIssue, SignalingMessageError } from '../errors.js';
import { resolveLimits, type SignalingLimits } from './limits.js';
import type { SignalingMessage } from './types.js';
import { describeError, snapshot } from './validate/describe.js';
import { parseJson, validateMessage } from './validate/message.js';
import { UNREADABLE } from './validate/read.js';

/** The result of {@link parseSignalingMessage}. */
export type ParseSignalingMessageResult =
  | { readonly ok: true; readonly message: SignalingMessage }
  | { readonly ok: false; readonly error: SignalingMessageError };

/**
 * Validates an incoming signaling message.
 *
 * Accepts the message as an object or as JSON text. Never throws, whatever the input: cyclic
 * objects, throwing getters, proxies, bigints and symbols all become issues. Unknown extra fields
 * are ignored; missing optional candidate fields become `null`.
 *
 * @example
 * ```ts
 * channel.subscribe((raw) => {
 *   const result = parseSignalingMessage(raw);
 *   if (!result.ok) return console.warn(result.error.issues);
 *   handle(result.message);
 * });
 * ```
 */
export function parseSignalingMessage(
  raw: unknown,
  limits?: Partial<SignalingLimits>,
): ParseSignalingMessageResult {
  const resolved = resolveLimits(limits);
  const issues: SignalingIssue[] = [];
  let message: SignalingMessage | undefined;
  try {
    const value = typeof raw === 'string' ? parseJson(raw, resolved, issues) : raw;
    if (value !== UNREADABLE) message = validateMessage(value, resolved, issues);
  } catch (error) {
    // Every read above is guarded; this is the last line of defence for exotic objects (a
    // revoked proxy makes even `Array.isArray` throw) so the caller never sees an exception.
    issues.push({ path: '', message: `could not be read: ${describeError(error)}` });
  }
  if (message !== undefined && issues.length === 0) return { ok: true, message };
  return { ok: false, error: new SignalingMessageError(issues, snapshot(raw)) };
}
