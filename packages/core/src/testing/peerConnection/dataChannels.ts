/**
 * Data channels and the SCTP transport (webrtc-pc §6): `createDataChannel`, stream id
 * allocation (RFC 8832 §6), announcing a channel the remote opened, and opening channels once
 * SCTP is up.
 * @module
 */

import { domError } from '../domError.js';
import { FakeDataChannel, type FakeDataChannelConfig } from '../fakeDataChannel.js';
import { FakeRtcDataChannelEvent } from '../fakeEvents.js';
import type { FakeSdp } from '../fakeSdp.js';
import { FakeSctpTransport } from '../fakeTransports.js';
import { queueTask } from '../queueTask.js';
import { updateNegotiationNeeded } from './negotiationNeeded.js';
import { closedError, DEFAULT_MAX_MESSAGE_SIZE, type PeerSlots } from './slots.js';

/** As `RTCPeerConnection.createDataChannel`, following the spec. */
export function createDataChannel(
  pc: PeerSlots,
  label: string,
  init: RTCDataChannelInit = {},
): RTCDataChannel {
  if (pc.closed) throw closedError();
  const config = validateDataChannel(pc, label, init);
  const channel = new FakeDataChannel(config);
  if (config.id === null && pc.sctpClient !== null) {
    channel.driveId(allocateStreamId(pc, pc.sctpClient));
  }
  if (pc.sctp !== null) channel.driveMaxMessageSize(pc.sctp.maxMessageSize);
  pc.dataChannels.push(channel);
  const first = !pc.dataChannelCreated;
  // Firefox 153 (`negotiatesChannelsCreatedDuringDescription: false`): the first channel,
  // created while a description operation runs, is lost to negotiation: no
  // `negotiationneeded`, and no later offer has an application m-section, until another channel
  // is created once the operation is over (it counts as the first; the lost one opens with it).
  // Checked by apps/e2e `12-engine-firefox-channel-created-during-offer`.
  const lost =
    first && pc.descriptionInFlight && !pc.options.negotiatesChannelsCreatedDuringDescription;
  if (!lost) pc.dataChannelCreated = true;
  // webrtc-pc §6.1: only the first channel can require an application m-section.
  if (first && !lost) updateNegotiationNeeded(pc);
  if (pc.link !== null) pc.link.changed();
  else if (pc.sctp?.state === 'connected') queueTask(() => openChannel(pc, channel));
  return channel;
}

/**
 * Test command: the remote peer created a (non-negotiated) data channel. Fires
 * `datachannel` with an open channel, then its `open`.
 */
export function simulateRemoteDataChannel(
  pc: PeerSlots,
  label: string,
  init: RTCDataChannelInit = {},
): FakeDataChannel {
  if (pc.closed) throw closedError();
  return announceDataChannel(pc, {
    ...validateDataChannel(pc, label, { ...init, negotiated: false }),
    id: init.id ?? allocateStreamId(pc, !(pc.sctpClient ?? false)),
  });
}

function validateDataChannel(
  pc: PeerSlots,
  label: string,
  init: RTCDataChannelInit,
): FakeDataChannelConfig {
  const encoder = new TextEncoder();
  if (encoder.encode(label).byteLength > 65535) throw new TypeError('label is too long');
  const protocol = init.protocol ?? '';
  if (encoder.encode(protocol).byteLength > 65535) throw new TypeError('protocol is too long');
  if (init.maxPacketLifeTime !== undefined && init.maxRetransmits !== undefined) {
    throw new TypeError('maxPacketLifeTime and maxRetransmits are mutually exclusive');
  }
  const negotiated = init.negotiated ?? false;
  if (negotiated && init.id === undefined) {
    throw new TypeError('id is required when negotiated is true');
  }
  const id = negotiated ? (init.id ?? null) : null;
  if (id !== null && (id < 0 || id > 65534)) throw new TypeError(`id ${id} is out of range`);
  if (id !== null && pc.dataChannels.some((c) => c.id === id && c.readyState !== 'closed')) {
    throw domError('OperationError', `id ${id} is already in use`);
  }
  return {
    label,
    ordered: init.ordered ?? true,
    maxPacketLifeTime: init.maxPacketLifeTime ?? null,
    maxRetransmits: init.maxRetransmits ?? null,
    protocol,
    negotiated,
    id,
  };
}

function allocateStreamId(pc: PeerSlots, client: boolean): number {
  const used = new Set(pc.dataChannels.filter((c) => c.readyState !== 'closed').map((c) => c.id));
  let id = client ? 0 : 1;
  while (used.has(id)) id += 2;
  return id;
}

/** An application section negotiated: the SCTP transport exists and ids can be chosen. */
export function negotiateSctp(pc: PeerSlots, local: FakeSdp, remote: FakeSdp): void {
  const localApp = local.sections.find((s) => s.kind === 'application' && s.port !== 0);
  const remoteApp = remote.sections.find((s) => s.kind === 'application' && s.port !== 0);
  if (localApp === undefined || remoteApp === undefined) return;
  // RFC 8832 §6: the DTLS client (setup:active) uses even stream ids, the server odd ones.
  pc.sctpClient = localApp.setup === 'active';
  pc.remoteMaxMessageSize = remoteApp.maxMessageSize ?? 65536;
  const maxMessageSize = Math.min(pc.remoteMaxMessageSize, DEFAULT_MAX_MESSAGE_SIZE);
  if (pc.sctp === null) {
    pc.sctp = new FakeSctpTransport(pc.dtlsTransport, maxMessageSize);
  }
  for (const channel of pc.dataChannels) {
    if (channel.id === null) channel.driveId(allocateStreamId(pc, pc.sctpClient));
    channel.driveMaxMessageSize(maxMessageSize);
  }
  if (pc.connectionState === 'connected') sctpConnected(pc);
}

/** SCTP comes up over a connected DTLS transport; without a network, channels open alone. */
export function sctpConnected(pc: PeerSlots): void {
  if (pc.sctp === null) return;
  if (pc.sctp.state !== 'connected') pc.sctp.driveState('connected');
  if (pc.link !== null) return;
  for (const channel of pc.dataChannels) queueTask(() => openChannel(pc, channel));
}

/** The SCTP stream of `channel` is usable: it opens, unless closed meanwhile. */
export function openChannel(pc: PeerSlots, channel: FakeDataChannel): void {
  if (pc.closed || channel.readyState !== 'connecting') return;
  pc.dataChannelsOpened += 1;
  channel.driveOpen();
}

/** The remote peer opened a channel: its counterpart here fires `datachannel`. */
export function announceDataChannel(pc: PeerSlots, config: FakeDataChannelConfig): FakeDataChannel {
  const channel = new FakeDataChannel(config);
  if (pc.sctp !== null) channel.driveMaxMessageSize(pc.sctp.maxMessageSize);
  pc.dataChannels.push(channel);
  pc.dataChannelsOpened += 1;
  // webrtc-pc §6.2 "announce the data channel": open before `datachannel`, `open` after.
  channel.driveAnnounced();
  pc.target.dispatchEvent(new FakeRtcDataChannelEvent(channel));
  if (channel.readyState === 'open') channel.driveOpen();
  return channel;
}
