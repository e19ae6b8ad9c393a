import type { DescriptionRef } from '@peerstatejs/core/recorder';
import { diffSessionDescriptions, parseSdp, type SdpChange } from '@peerstatejs/core/sdp';
import type { OfferRecord } from '../session/select.js';
import { formatAt } from './format.js';

function DescriptionTable({
  title,
  description,
  sdp,
}: {
  title: string;
  description: DescriptionRef | null;
  sdp: string | null;
}) {
  if (!description || sdp === null) {
    return (
      <section className="sdp-description">
        <h4>{title}: none</h4>
      </section>
    );
  }
  const parsed = parseSdp(sdp);
  return (
    <section className="sdp-description" data-testid={`sdp-${title.toLowerCase()}`}>
      <h4>
        {title}: <span className="badge">{description.type}</span>{' '}
        <span className="muted">
          BUNDLE {parsed.bundle.join(' ') || '—'} · {parsed.mediaSections.length} m-line(s)
        </span>
      </h4>
      <table>
        <thead>
          <tr>
            <th scope="col">mid</th>
            <th scope="col">m=</th>
            <th scope="col">direction</th>
            <th scope="col">codecs</th>
            <th scope="col">ICE ufrag</th>
            <th scope="col">setup</th>
            <th scope="col">cands</th>
          </tr>
        </thead>
        <tbody>
          {parsed.mediaSections.map((section, index) => {
            const names = [...new Set(section.codecs.map((codec) => codec.name))];
            return (
              <tr key={section.mid ?? `#${index}`} className={section.port === 0 ? 'rejected' : ''}>
                <td>{section.mid ?? '—'}</td>
                <td>
                  {section.kind}
                  {section.port === 0 ? ' (rejected)' : ''}
                </td>
                <td>{section.direction}</td>
                <td title={names.join(', ')}>
                  {names.slice(0, 4).join(', ')}
                  {names.length > 4 ? ` +${names.length - 4}` : ''}
                </td>
                <td>
                  <code>{section.iceUfrag ?? '—'}</code>
                </td>
                <td>{section.setup ?? '—'}</td>
                <td>{section.candidates.length}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <details>
        <summary>Raw SDP</summary>
        <pre className="raw">{sdp}</pre>
      </details>
    </section>
  );
}

function changeText(change: SdpChange): string {
  if (change.type === 'bundle-changed') {
    return `BUNDLE ${change.from.join(' ') || '—'} → ${change.to.join(' ') || '—'}`;
  }
  const where = `${change.kind} (mid ${change.mid ?? `#${change.index}`})`;
  switch (change.type) {
    case 'section-added':
      return `${where} added, ${change.direction}`;
    case 'section-removed':
      return `${where} removed`;
    case 'section-rejected':
      return `${where} rejected`;
    case 'direction-changed':
      return `${where} ${change.from} → ${change.to}`;
    case 'ice-restart':
      return `${where} ICE restart: ufrag ${change.from ?? '—'} → ${change.to ?? '—'}`;
    case 'codecs-changed':
      return `${where} codecs +${change.added.map((c) => c.name).join(',') || '∅'} −${change.removed.map((c) => c.name).join(',') || '∅'}`;
    case 'msids-changed':
      return `${where} tracks +${change.added.length} −${change.removed.length}`;
  }
}

function OfferHistory({ offers }: { offers: readonly OfferRecord[] }) {
  // Each offer is compared with the previous one from the same offerer: the two peers' offers
  // differ in ICE credentials and ids anyway.
  const items = offers.map((offer, index) => {
    const previous = offers.slice(0, index).findLast((o) => o.direction === offer.direction);
    return {
      offer,
      number: index + 1,
      changes: diffSessionDescriptions(previous?.sdp ?? null, offer.sdp),
    };
  });
  const sent = offers.filter((offer) => offer.direction === 'sent').length;
  return (
    <section>
      <h4>
        Offers and what each changed (<span data-testid="offers-sent">{sent}</span> sent,{' '}
        {offers.length - sent} received)
      </h4>
      {items.length === 0 ? <p className="muted">No offer yet.</p> : null}
      <ol className="offers" reversed data-testid="offer-diffs">
        {items.reverse().map(({ offer, number, changes }) => (
          <li key={`${number}-${offer.seq}`}>
            <span className="muted" title={offer.id ?? undefined}>
              offer {number} {offer.direction} {formatAt(offer.at)}
              {offer.repeats > 0 ? ` (repeated ${offer.repeats}×: unanswered, resent)` : ''}:
            </span>{' '}
            {changes.length === 0 ? (
              <span className="muted">no SDP change from the previous offer</span>
            ) : (
              changes.map((change) => (
                <span key={changeText(change)} className={`change change-${change.type}`}>
                  {changeText(change)}
                </span>
              ))
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export interface SdpPanelProps {
  readonly local: DescriptionRef | null;
  readonly remote: DescriptionRef | null;
  readonly sdpOf: (ref: DescriptionRef | null) => string | null;
  readonly offers: readonly OfferRecord[];
}

/** The current descriptions, parsed, and the diff between successive offers. */
export function SdpPanel({ local, remote, sdpOf, offers }: SdpPanelProps) {
  return (
    <div className="sdp-panel">
      <DescriptionTable title="Local" description={local} sdp={sdpOf(local)} />
      <DescriptionTable title="Remote" description={remote} sdp={sdpOf(remote)} />
      <OfferHistory offers={offers} />
    </div>
  );
}
