/**
 * Abuse limits: a token bucket per connection for frames and bytes, and a count of open
 * connections per client address.
 * @module
 */

import type { IncomingMessage } from 'node:http';

/** A rate with a burst: `rate` per second on average, up to `burst` at once. */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

/** Refills continuously at `rate`/s up to `burst`; `take` fails without taking when short. */
export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now: () => number) {
    this.#limit = limit;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#at = now();
  }

  take(amount = 1): boolean {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#at = now;
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + elapsed * this.#limit.rate);
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }
}

/** Open connections per address; `0` as the limit means none. */
export class AddressLimiter {
  readonly #limit: number;
  readonly #open = new Map<string, number>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Counts one more connection from `address`, unless it is at the limit. */
  acquire(address: string): boolean {
    const count = this.#open.get(address) ?? 0;
    if (this.#limit > 0 && count >= this.#limit) return false;
    this.#open.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.#open.get(address) ?? 0) - 1;
    if (count > 0) this.#open.set(address, count);
    else this.#open.delete(address);
  }
}

/**
 * The client's address. Behind a reverse proxy every connection comes from the proxy, so with
 * `trustProxy` the last `X-Forwarded-For` hop (the one the proxy itself added) is used instead.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header.at(-1) : header;
  const last = value?.split(',').at(-1)?.trim();
  return last || socketAddress;
}
