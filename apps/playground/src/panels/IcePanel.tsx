import type { StatsSample } from '@peerstatejs/core/recorder';
import { parseCandidate } from '@peerstatejs/core/sdp';
import type { CandidateRecord } from '../session/select.js';
import { formatAt } from './format.js';

export interface IcePanelProps {
  readonly candidates: readonly CandidateRecord[];
  /** The latest `getStats` sample at the cursor: where candidate pairs come from. */
  readonly sample: StatsSample | undefined;
}

/** Candidates gathered and received (from the machine's events), and pairs (from getStats). */
export function IcePanel({ candidates, sample }: IcePanelProps) {
  return (
    <div className="ice-panel">
      <h4>Candidates ({candidates.length})</h4>
      <table data-testid="candidates">
        <thead>
          <tr>
            <th scope="col">at</th>
            <th scope="col">side</th>
            <th scope="col">type</th>
            <th scope="col">protocol</th>
            <th scope="col">address</th>
            <th scope="col">ufrag</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((record) => {
            const parsed = parseCandidate(record.candidate);
            return (
              <tr key={`${record.seq}`} data-origin={record.origin}>
                <td>{formatAt(record.at)}</td>
                <td>{record.origin}</td>
                {parsed ? (
                  <>
                    <td>{parsed.type}</td>
                    <td>
                      {parsed.protocol}
                      {parsed.tcpType ? ` (${parsed.tcpType})` : ''}
                    </td>
                    <td>
                      <code>
                        {parsed.address}:{parsed.port}
                      </code>
                    </td>
                    <td>
                      <code>{parsed.ufrag ?? '—'}</code>
                    </td>
                  </>
                ) : (
                  <td colSpan={4}>unparsable: {record.candidate}</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <h4>
        Candidate pairs{' '}
        <span className="muted">
          {sample ? `(getStats at ${formatAt(sample.at)})` : '(no getStats sample yet)'}
        </span>
      </h4>
      <table data-testid="candidate-pairs">
        <thead>
          <tr>
            <th scope="col">state</th>
            <th scope="col">local</th>
            <th scope="col">remote</th>
            <th scope="col">RTT</th>
            <th scope="col">flags</th>
          </tr>
        </thead>
        <tbody>
          {(sample?.pairs ?? []).map((pair) => (
            <tr key={pair.id} className={pair.selected ? 'selected' : ''}>
              <td>{pair.state}</td>
              <td>
                <code>{pair.local}</code>
              </td>
              <td>
                <code>{pair.remote}</code>
              </td>
              <td>{pair.rttMs === null ? '—' : `${pair.rttMs} ms`}</td>
              <td>
                {[pair.selected ? 'selected' : '', pair.nominated ? 'nominated' : '']
                  .filter(Boolean)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
