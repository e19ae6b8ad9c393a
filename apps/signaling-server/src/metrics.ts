/**
 * Counters and gauges in the Prometheus text exposition format (served at `/metrics`), without a
 * client library: a handful of series is all a relay needs.
 * @module
 */

/** Why a frame for a peer was dropped before it acknowledged it. */
export type DropReason = 'outbox_full' | 'unknown_peer';

export class Metrics {
  framesIn = 0;
  framesOut = 0;
  signalsRelayed = 0;
  bytesIn = 0;
  readonly drops = new Map<DropReason, number>();
  readonly closes = new Map<number, number>();
  joins = 0;
  resumes = 0;
  /** Rooms restored from Redis after their previous owner died or let them go. */
  restores = 0;

  drop(reason: DropReason, count = 1): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + count);
  }

  close(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }

  /** The exposition text; `gauges` are read at scrape time. */
  render(gauges: { connections: number; rooms: number; peers: number }): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('signaling_connections', 'gauge', 'Open WebSocket connections.', [
      ['', gauges.connections],
    ]);
    metric('signaling_rooms', 'gauge', 'Rooms with at least one peer.', [['', gauges.rooms]]);
    metric('signaling_peers', 'gauge', 'Peers connected to a room.', [['', gauges.peers]]);
    metric('signaling_joins_total', 'counter', 'Joins accepted (resumes excluded).', [
      ['', this.joins],
    ]);
    metric('signaling_resumes_total', 'counter', 'Sessions resumed after a drop.', [
      ['', this.resumes],
    ]);
    metric(
      'signaling_rooms_restored_total',
      'counter',
      'Rooms restored from Redis, their previous owner gone (several instances).',
      [['', this.restores]],
    );
    metric('signaling_frames_received_total', 'counter', 'Frames received from clients.', [
      ['', this.framesIn],
    ]);
    metric('signaling_bytes_received_total', 'counter', 'Bytes received from clients.', [
      ['', this.bytesIn],
    ]);
    metric('signaling_frames_sent_total', 'counter', 'Frames sent to clients.', [
      ['', this.framesOut],
    ]);
    metric('signaling_signals_relayed_total', 'counter', 'Signals stored for a recipient.', [
      ['', this.signalsRelayed],
    ]);
    metric(
      'signaling_drops_total',
      'counter',
      'Signals dropped before their recipient acknowledged them (reported to it as a gap).',
      [...this.drops].map(([reason, value]) => [`{reason="${reason}"}`, value]),
    );
    metric(
      'signaling_closes_total',
      'counter',
      'Connections the server closed, by close code.',
      [...this.closes].map(([code, value]) => [`{code="${code}"}`, value]),
    );
    return `${lines.join('\n')}\n`;
  }
}
