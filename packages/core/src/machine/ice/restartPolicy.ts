/**
 * When the connection region restarts ICE, and which peer does it: pure functions of the options,
 * so the schedule can be tested (and its signaling cost stated) without a machine.
 * @module
 */
import type { IceRestartOptions } from '../types.js';

/**
 * How long restart attempt `attempt` (1-based) may take before the next one starts:
 * `min(initialDelay * factor^(attempt-1), maxDelay)`. With the defaults, one second each: a
 * TURN allocation requested less than a second before the relay came back is retransmitted
 * (STUN's RTO: 250 ms, 500 ms, …) soon after it returns, so the call is back well within a
 * second; a backed-off schedule (1 s, 2 s, 4 s, …) leaves the newest attempt seconds old.
 */
export function iceRestartDelay(options: IceRestartOptions, attempt: number): number {
  const delay = options.initialDelay * options.factor ** Math.max(0, attempt - 1);
  return Math.min(delay, options.maxDelay);
}

/**
 * Only one peer restarts ICE: two peers restarting at once send colliding offers on every
 * attempt (glare), and the polite one's is rolled back anyway. The impolite peer restarts; the
 * polite one answers its offers and restarts by itself only after this long without one (the
 * remote does not see the outage, or is gone): longer than the impolite peer can take to start
 * (it may wait the grace period where the polite peer saw `failed` at once) plus two attempts.
 */
export function iceRestartTakeover(options: IceRestartOptions): number {
  return options.disconnectedGracePeriod + 2 * options.maxDelay;
}

/**
 * How long to wait, after the remote closed its DTLS transport (a `close_notify`: its peer
 * connection was closed), for the bye that a hang-up sends before its close; none means the
 * remote's connection was closed behind its machine's back, and a rebuild replaces it.
 */
export const REMOTE_CLOSE_BYE_GRACE = 500;

/**
 * The restart offers one peer sends during an outage of `outageMs` that starts once ICE reports
 * `failed` or the grace period of `disconnected` is over (the times, in ms from that moment, of
 * each `restartIce()`), until `maxAttempts` run out. The polite peer sends none while the
 * impolite one restarts.
 */
export function iceRestartOffers(options: IceRestartOptions, outageMs: number): number[] {
  const times: number[] = [];
  for (let at = 0, attempt = 1; at < outageMs && attempt <= options.maxAttempts; attempt++) {
    times.push(at);
    at += iceRestartDelay(options, attempt);
  }
  return times;
}
