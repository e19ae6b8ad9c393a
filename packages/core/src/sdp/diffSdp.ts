/**
 * What changed between two session descriptions, section by section: the playground uses it to
 * show what a renegotiation did.
 * @module
 */

import {
  type ParsedSdp,
  parseSdp,
  type SdpCodec,
  type SdpDirection,
  type SdpMediaSection,
  type SdpMsid,
} from './parseSdp.js';

/** Identifies the media section a change is about. */
export interface SdpSectionRef {
  /** Position in the description the section is in: the next one, or the previous one if removed. */
  readonly index: number;
  readonly mid?: string;
  readonly kind: string;
}

/** One difference between two session descriptions. */
export type SdpChange =
  | (SdpSectionRef & { readonly type: 'section-added'; readonly direction: SdpDirection })
  | (SdpSectionRef & { readonly type: 'section-removed' })
  /** The port went to 0: the transceiver was stopped or the section rejected. */
  | (SdpSectionRef & { readonly type: 'section-rejected' })
  | (SdpSectionRef & {
      readonly type: 'direction-changed';
      readonly from: SdpDirection;
      readonly to: SdpDirection;
    })
  /** A new ICE username fragment: the ICE agent restarted for this section. */
  | (SdpSectionRef & {
      readonly type: 'ice-restart';
      readonly from: string | undefined;
      readonly to: string | undefined;
    })
  | (SdpSectionRef & {
      readonly type: 'codecs-changed';
      readonly added: readonly SdpCodec[];
      readonly removed: readonly SdpCodec[];
    })
  | (SdpSectionRef & {
      readonly type: 'msids-changed';
      readonly added: readonly SdpMsid[];
      readonly removed: readonly SdpMsid[];
    })
  | {
      readonly type: 'bundle-changed';
      readonly from: readonly string[];
      readonly to: readonly string[];
    };

/**
 * Lists the changes from `previous` to `next`; with no previous description every section is
 * added. Sections are matched by mid (by position when they have none), so a section whose mid
 * changed, as when JSEP recycles a stopped one, shows as removed and added. Codecs are compared
 * by name, clock rate and channels, not payload type, which may be renumbered.
 *
 * @example
 * ```ts
 * for (const change of diffSessionDescriptions(previousOffer, offer)) {
 *   if (change.type === 'ice-restart') console.log(`ICE restarted for mid ${change.mid}`);
 * }
 * ```
 */
export function diffSessionDescriptions(previous: string | null, next: string): SdpChange[] {
  const before: ParsedSdp | undefined = previous === null ? undefined : parseSdp(previous);
  const after = parseSdp(next);
  const changes: SdpChange[] = [];

  if (before !== undefined && !sameList(before.bundle, after.bundle)) {
    changes.push({ type: 'bundle-changed', from: before.bundle, to: after.bundle });
  }

  const previousByKey = new Map<string, { section: SdpMediaSection; index: number }>();
  before?.mediaSections.forEach((section, index) => {
    previousByKey.set(keyOf(section, index), { section, index });
  });
  const matched = new Set<string>();

  after.mediaSections.forEach((section, index) => {
    const key = keyOf(section, index);
    const ref = refOf(section, index);
    const old = previousByKey.get(key);
    if (old === undefined) {
      changes.push({ ...ref, type: 'section-added', direction: section.direction });
      return;
    }
    matched.add(key);
    changes.push(...compareSections(old.section, section, ref));
  });

  for (const [key, { section, index }] of previousByKey) {
    if (!matched.has(key)) changes.push({ ...refOf(section, index), type: 'section-removed' });
  }
  return changes;
}

function compareSections(
  before: SdpMediaSection,
  after: SdpMediaSection,
  ref: SdpSectionRef,
): SdpChange[] {
  const changes: SdpChange[] = [];
  if (after.port === 0) {
    // A rejected section negotiates nothing; its other attributes are noise.
    if (before.port !== 0) changes.push({ ...ref, type: 'section-rejected' });
    return changes;
  }
  if (before.direction !== after.direction) {
    changes.push({
      ...ref,
      type: 'direction-changed',
      from: before.direction,
      to: after.direction,
    });
  }
  if (before.iceUfrag !== after.iceUfrag) {
    changes.push({ ...ref, type: 'ice-restart', from: before.iceUfrag, to: after.iceUfrag });
  }
  const codecs = difference(before.codecs, after.codecs, codecKey);
  if (codecs.added.length > 0 || codecs.removed.length > 0) {
    changes.push({ ...ref, type: 'codecs-changed', ...codecs });
  }
  const msids = difference(before.msids, after.msids, (msid) => `${msid.streamId} ${msid.trackId}`);
  if (msids.added.length > 0 || msids.removed.length > 0) {
    changes.push({ ...ref, type: 'msids-changed', ...msids });
  }
  return changes;
}

function keyOf(section: SdpMediaSection, index: number): string {
  // Prefixes keep a mid such as "1" apart from the position 1 of a section without a mid.
  return section.mid === undefined ? `#${index}` : `mid:${section.mid}`;
}

function refOf(section: SdpMediaSection, index: number): SdpSectionRef {
  return section.mid === undefined
    ? { index, kind: section.kind }
    : { index, mid: section.mid, kind: section.kind };
}

function codecKey(codec: SdpCodec): string {
  return `${codec.name.toLowerCase()}/${codec.clockRate}/${codec.channels ?? 1}`;
}

function difference<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): { added: T[]; removed: T[] } {
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return {
    added: unique(
      after.filter((item) => !beforeKeys.has(key(item))),
      key,
    ),
    removed: unique(
      before.filter((item) => !afterKeys.has(key(item))),
      key,
    ),
  };
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return false;
    seen.add(itemKey);
    return true;
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
