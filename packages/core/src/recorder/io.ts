/**
 * Session files: what Export writes and Import reads back.
 * @module
 */
import { READABLE_SESSION_VERSIONS, SESSION_FORMAT, type Session } from './types.js';

/**
 * The session as a file's text, stamped with when it was exported: `exportedAt` if given, else
 * the stamp an imported session already carries (so exporting an imported file gives the same
 * bytes back), else now.
 */
export function serializeSession(session: Session, exportedAt?: Date): string {
  const stamp = exportedAt?.toISOString() ?? session.exportedAt ?? new Date().toISOString();
  return JSON.stringify({ ...session, exportedAt: stamp });
}

/** What {@link parseSession} throws for a file it cannot read; `reason` says what is wrong. */
export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
  constructor(readonly reason: string) {
    super(`Not a peerstate session file: ${reason}`);
  }
}

function fail(reason: string): never {
  throw new SessionFileError(reason);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeqList(value: unknown): value is { seq: number }[] {
  if (!Array.isArray(value)) return false;
  let previous = -Infinity;
  for (const item of value) {
    if (!isRecord(item) || typeof item.seq !== 'number' || item.seq < previous) return false;
    previous = item.seq;
  }
  return true;
}

/**
 * Parses and checks a session file. Checks the structure every panel relies on (seq-ordered
 * lists, interned SDPs), not every field: a file from a newer machine may carry more.
 */
export function parseSession(text: string): Session {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail(`invalid JSON (${(error as Error).message})`);
  }
  if (!isRecord(data)) fail('not an object');
  if (data.format !== SESSION_FORMAT) fail(`format is ${JSON.stringify(data.format)}`);
  if (typeof data.version !== 'number' || !READABLE_SESSION_VERSIONS.includes(data.version)) {
    fail(
      `version ${JSON.stringify(data.version)}; this reads ${READABLE_SESSION_VERSIONS.join(', ')}`,
    );
  }
  if (typeof data.startedAt !== 'number') fail('startedAt missing');
  if (!Array.isArray(data.sdps) || !data.sdps.every((sdp) => typeof sdp === 'string')) {
    fail('sdps must be a list of strings');
  }
  if (!Array.isArray(data.peers) || data.peers.length === 0) fail('no peers');
  for (const [index, peer] of data.peers.entries()) {
    if (!isRecord(peer) || typeof peer.name !== 'string') fail(`peer ${index} has no name`);
    for (const list of ['entries', 'snapshots', 'stats'] as const) {
      if (!isSeqList(peer[list])) fail(`peer ${peer.name}: ${list} must be a seq-ordered list`);
    }
    const dropped = peer.dropped;
    if (
      dropped !== undefined &&
      (!isRecord(dropped) ||
        !['entries', 'snapshots', 'stats'].every((list) => typeof dropped[list] === 'number'))
    ) {
      fail(`peer ${peer.name}: dropped must count entries, snapshots and stats`);
    }
  }
  return data as unknown as Session;
}
