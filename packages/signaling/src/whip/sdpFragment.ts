/**
 * The SDP fragments of trickle ICE and ICE restarts over HTTP PATCH
 * (`application/trickle-ice-sdpfrag`, RFC 8840 as updated by RFC 9725 §4.3).
 * @module
 */

/** The ICE credentials and the bundle-tagged m-section of an offer. */
export interface OfferIceInfo {
  readonly ufrag: string;
  readonly pwd: string;
  /** `mid` of the first m-section (the bundle tag under `max-bundle`). */
  readonly mid: string;
  /** That section's `m=` line, copied into every fragment as RFC 9725 §4.3.1 shows. */
  readonly mLine: string;
}

/** What a fragment carries. */
export interface TrickleFragment {
  readonly ufrag: string | null;
  readonly pwd: string | null;
  /** `a=candidate:` values without the `a=` prefix, in order, with the `mid` they belong to. */
  readonly candidates: readonly { readonly mid: string | null; readonly candidate: string }[];
  readonly endOfCandidates: boolean;
}

/** The MIME type of PATCH bodies. */
export const SDPFRAG_CONTENT_TYPE = 'application/trickle-ice-sdpfrag';

/**
 * Reads the ICE credentials and first m-section of an offer. Credentials may sit at session or
 * media level (browsers put them in every m-section); the first found wins.
 * @throws {TypeError} when the SDP has no m-section or no ICE credentials.
 */
export function offerIceInfo(sdp: string): OfferIceInfo {
  const lines = splitLines(sdp);
  let ufrag: string | undefined;
  let pwd: string | undefined;
  let mLine: string | undefined;
  let mid: string | undefined;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (mLine !== undefined) break;
      mLine = line;
    } else if (line.startsWith('a=ice-ufrag:')) ufrag ??= line.slice('a=ice-ufrag:'.length);
    else if (line.startsWith('a=ice-pwd:')) pwd ??= line.slice('a=ice-pwd:'.length);
    else if (line.startsWith('a=mid:') && mLine !== undefined) mid ??= line.slice('a=mid:'.length);
  }
  if (mLine === undefined) throw new TypeError('The offer has no m-section');
  if (ufrag === undefined || pwd === undefined)
    throw new TypeError('The offer has no a=ice-ufrag/a=ice-pwd');
  return { ufrag, pwd, mLine, mid: mid ?? '0' };
}

/**
 * Builds a PATCH body: the credentials, the bundle-tagged m-section, its candidates and, at the
 * end of gathering, `a=end-of-candidates`. The same shape serves trickle and ICE restart (a
 * restart simply carries new credentials).
 */
export function buildTrickleFragment(
  info: OfferIceInfo,
  candidates: readonly string[],
  endOfCandidates: boolean,
): string {
  const lines = [
    `a=ice-ufrag:${info.ufrag}`,
    `a=ice-pwd:${info.pwd}`,
    info.mLine,
    `a=mid:${info.mid}`,
    ...candidates.map((candidate) =>
      candidate.startsWith('candidate:') ? `a=${candidate}` : `a=candidate:${candidate}`,
    ),
  ];
  if (endOfCandidates) lines.push('a=end-of-candidates');
  return `${lines.join('\r\n')}\r\n`;
}

/** Parses a fragment (a server's ICE-restart answer, or a client's PATCH on the server side). */
export function parseTrickleFragment(text: string): TrickleFragment {
  let ufrag: string | null = null;
  let pwd: string | null = null;
  let mid: string | null = null;
  let endOfCandidates = false;
  const candidates: { mid: string | null; candidate: string }[] = [];
  for (const line of splitLines(text)) {
    if (line.startsWith('a=ice-ufrag:')) ufrag = line.slice('a=ice-ufrag:'.length);
    else if (line.startsWith('a=ice-pwd:')) pwd = line.slice('a=ice-pwd:'.length);
    else if (line.startsWith('m=')) mid = null;
    else if (line.startsWith('a=mid:')) mid = line.slice('a=mid:'.length);
    else if (line.startsWith('a=candidate:')) candidates.push({ mid, candidate: line.slice(2) });
    else if (line === 'a=end-of-candidates') endOfCandidates = true;
  }
  return { ufrag, pwd, candidates, endOfCandidates };
}

/**
 * Turns the server's ICE-restart fragment into a full answer for the machine: the previous
 * answer with the new credentials in every section and, when the fragment lists candidates,
 * those instead of the old ones (the old ones belong to the previous ICE generation).
 */
export function applyRestartFragment(previousAnswer: string, fragment: TrickleFragment): string {
  const lines = splitLines(previousAnswer);
  const replaceCandidates = fragment.candidates.length > 0;
  const out: string[] = [];
  let mid: string | null = null;
  let section = -1;
  const flushCandidates = (): void => {
    if (!replaceCandidates || section < 0) return;
    // Candidates go into the section they name; unnamed ones into the first (bundle) section.
    for (const item of fragment.candidates) {
      if (item.mid === mid || (item.mid === null && section === 0)) out.push(`a=${item.candidate}`);
    }
    if (fragment.endOfCandidates) out.push('a=end-of-candidates');
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      flushCandidates();
      section += 1;
      mid = null;
      out.push(line);
      continue;
    }
    if (line.startsWith('a=mid:')) mid = line.slice('a=mid:'.length);
    if (line.startsWith('a=ice-ufrag:') && fragment.ufrag !== null) {
      out.push(`a=ice-ufrag:${fragment.ufrag}`);
    } else if (line.startsWith('a=ice-pwd:') && fragment.pwd !== null) {
      out.push(`a=ice-pwd:${fragment.pwd}`);
    } else if (
      replaceCandidates &&
      (line.startsWith('a=candidate:') || line === 'a=end-of-candidates')
    ) {
      // Dropped: replaced by the fragment's at the end of the section.
    } else {
      out.push(line);
    }
  }
  flushCandidates();
  return `${out.join('\r\n')}\r\n`;
}

/** The `a=ice-ufrag` of the first section that has one, or null. */
export function ufragOf(sdp: string): string | null {
  for (const line of splitLines(sdp)) {
    if (line.startsWith('a=ice-ufrag:')) return line.slice('a=ice-ufrag:'.length);
  }
  return null;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}
