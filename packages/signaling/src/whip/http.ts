/**
 * Small HTTP helpers of the WHIP/WHEP channel.
 * @module
 */
import { type HttpSignalingProtocol, WhipNetworkError, type WhipStep } from '../errors.js';

export const MAX_REDIRECTS = 5;

/** The response with `url` set, so a relative Location resolves against where it came from. */
export function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, 'url', { value: url, configurable: true });
  return response;
}

/** Whether the response's media type (parameters ignored, case-insensitive) is `type`. */
export function mimeIs(response: Response, type: string): boolean {
  const value = response.headers.get('content-type');
  return value !== null && value.split(';')[0]?.trim().toLowerCase() === type;
}

export function missingFetch(protocol: HttpSignalingProtocol, step: WhipStep): never {
  throw new WhipNetworkError(protocol, step, new TypeError('No fetch here: pass `fetch`'));
}
