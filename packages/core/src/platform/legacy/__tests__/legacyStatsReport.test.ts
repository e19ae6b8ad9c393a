import { describe, expect, it } from 'vitest';
import { legacyStatsReport } from '../legacyStatsReport.js';

describe('legacyStatsReport', () => {
  it('converts legacy Chrome items, restoring numbers, booleans and standard type names', () => {
    const item = (id: string, type: string, values: Record<string, unknown>) => ({
      id,
      type,
      timestamp: new Date(42),
      names: () => Object.keys(values),
      stat: (name: string) => values[name],
    });
    const report = legacyStatsReport({
      result: () => [
        item('c1', 'localcandidate', {
          portNumber: '5000',
          ipAddress: '10.0.0.1',
          negative: '-1.5',
          off: 'false',
          // A legacy value named like a standard member does not override it.
          id: 'bogus',
        }),
        item('c2', 'remotecandidate', { raw: 7 }),
      ],
    });
    expect([...report.keys()]).toEqual(['c1', 'c2']);
    expect(report.get('c1')).toEqual({
      id: 'c1',
      type: 'local-candidate',
      timestamp: 42,
      portNumber: 5000,
      ipAddress: '10.0.0.1',
      negative: -1.5,
      off: false,
    });
    expect(report.get('c2')).toEqual({
      id: 'c2',
      type: 'remote-candidate',
      timestamp: 42,
      raw: 7,
    });
    let visited = 0;
    report.forEach(() => {
      visited++;
    });
    expect(visited).toBe(2);
  });

  it('normalizes map-like and plain-object reports of prefixed Firefox', () => {
    const stats = {
      p: { id: 'p', type: 'candidatepair', timestamp: 1 },
      o: { id: 'o', type: 'outboundrtp', timestamp: 2, bytesSent: 10 },
      skipped: 'not stats',
      anonymous: { type: 'x' },
    };
    const fromObject = legacyStatsReport(stats);
    expect(fromObject.get('p')).toEqual({ id: 'p', type: 'candidate-pair', timestamp: 1 });
    expect(fromObject.get('o')).toEqual({
      id: 'o',
      type: 'outbound-rtp',
      timestamp: 2,
      bytesSent: 10,
    });
    expect(fromObject.size).toBe(2);
    const fromMap = legacyStatsReport(new Map(Object.entries(stats)));
    expect([...fromMap.keys()]).toEqual(['p', 'o']);
  });

  it('yields an empty report for anything else', () => {
    expect(legacyStatsReport(undefined).size).toBe(0);
    expect(legacyStatsReport('nonsense').size).toBe(0);
  });
});
