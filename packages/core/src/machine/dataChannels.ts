import { DataChannelError } from '../errors.js';
import type { PeerConnectionLike } from '../platform/types.js';
import type { DataChannelInfo, PeerInternalEvent } from './types.js';

type Report = (event: PeerInternalEvent) => void;

/**
 * Creates a data channel, or reports why it could not (`null`). The first one on a connection
 * renegotiates (an application m-section).
 */
export function openLocalDataChannel(
  pc: PeerConnectionLike,
  label: string,
  options: RTCDataChannelInit | undefined,
  report: Report,
): RTCDataChannel | null {
  try {
    return pc.createDataChannel(label, options);
  } catch (cause) {
    report({
      type: 'peer.error',
      error: new DataChannelError(label, 'could not be created', cause),
    });
    return null;
  }
}

/** Creates a data channel and reports it (`peer.dataChannelCreated`): lists it, watches it. */
export function createLocalDataChannel(
  pc: PeerConnectionLike,
  label: string,
  options: RTCDataChannelInit | undefined,
  report: Report,
): void {
  const channel = openLocalDataChannel(pc, label, options, report);
  if (channel) report({ type: 'peer.dataChannelCreated', channel });
}

/** Sends on the most recent open channel with this label. */
export function sendOnDataChannel(
  channels: readonly DataChannelInfo[],
  label: string,
  data: string | ArrayBuffer | ArrayBufferView | Blob,
  report: Report,
): void {
  const candidates = channels.filter((entry) => entry.label === label);
  const open = candidates.findLast((entry) => entry.channel.readyState === 'open');
  if (!open) {
    const detail =
      candidates.length === 0
        ? 'no channel with this label'
        : `not open (${candidates.at(-1)?.channel.readyState ?? 'unknown'})`;
    report({ type: 'peer.error', error: new DataChannelError(label, `cannot send: ${detail}`) });
    return;
  }
  try {
    // The DOM overloads take each type separately; the union is valid at run time.
    open.channel.send(data as string);
  } catch (cause) {
    report({ type: 'peer.error', error: new DataChannelError(label, 'send failed', cause) });
  }
}

/** The snapshot entry of a channel. */
export function describeDataChannel(
  channel: RTCDataChannel,
  origin: DataChannelInfo['origin'],
): DataChannelInfo {
  return { label: channel.label, id: channel.id, origin, readyState: channel.readyState, channel };
}

/** Adds a channel, or refreshes its entry when it is already listed. */
export function upsertDataChannel(
  channels: readonly DataChannelInfo[],
  channel: RTCDataChannel,
  origin: DataChannelInfo['origin'],
): DataChannelInfo[] {
  const index = channels.findIndex((entry) => entry.channel === channel);
  if (index === -1) return [...channels, describeDataChannel(channel, origin)];
  return channels.map((entry, i) =>
    i === index ? describeDataChannel(channel, entry.origin) : entry,
  );
}
