/**
 * Perfect negotiation needs exactly one polite peer per pair. Both peers can tell which they are
 * from the two peer ids alone, with no message exchanged: the ids of one room differ (the server
 * keys its sessions by them), so comparing them gives each side the opposite answer.
 * @module
 */

/**
 * Whether this peer is the polite one of the pair: the one with the smaller id (UTF-16 order,
 * as `<` compares strings). Deterministic and symmetric: `isPolite(a, b) === !isPolite(b, a)`.
 *
 * @throws {TypeError} when both ids are the same: the two peers would take the same role.
 */
export function isPolite(localPeerId: string, remotePeerId: string): boolean {
  if (localPeerId === remotePeerId) {
    throw new TypeError(`Both peers have the id "${localPeerId}": roles need two different ids`);
  }
  return localPeerId < remotePeerId;
}
