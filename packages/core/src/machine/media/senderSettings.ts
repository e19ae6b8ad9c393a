/**
 * Sender settings kept in the intent: `setParameters` (bitrate, framerate, degradation) and
 * `setCodecPreferences`, applied by their commands and again on every new connection.
 * @module
 */
import { MediaError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import type { Report } from '../report.js';
import type { MediaIntent, SenderParameters } from '../types.js';

/** The typed refusal of settings no engine could apply, or `null` when they are well formed. */
export function invalidParameters(parameters: SenderParameters): MediaError | null {
  for (const key of ['maxBitrate', 'maxFramerate'] as const) {
    const value = parameters[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      return new MediaError('setParameters', `${key} must be a positive number, got ${value}`);
    }
  }
  const preference = parameters.degradationPreference;
  if (
    preference !== undefined &&
    !['maintain-framerate', 'maintain-resolution', 'balanced'].includes(preference)
  ) {
    return new MediaError('setParameters', `unknown degradationPreference "${preference}"`);
  }
  return null;
}

/**
 * `getParameters`, the settings on every encoding (a simulcast sender has one per layer), then
 * `setParameters`: webrtc-pc requires the fresh `transactionId` of a `getParameters` call.
 */
export function applySenderParameters(
  sender: RTCRtpSender,
  parameters: SenderParameters,
  report: Report,
): Promise<void> {
  if (typeof sender.getParameters !== 'function' || typeof sender.setParameters !== 'function') {
    report({
      type: 'peer.error',
      error: new MediaError('setParameters', 'setParameters is not supported by this engine'),
    });
    return Promise.resolve();
  }
  const { maxBitrate, maxFramerate, degradationPreference } = parameters;
  const current = sender.getParameters();
  const encodings = current.encodings.map((encoding) => ({
    ...encoding,
    ...(maxBitrate === undefined ? {} : { maxBitrate }),
    // An audio encoding has no framerate: engines refuse one there.
    ...(maxFramerate === undefined || sender.track?.kind === 'audio' ? {} : { maxFramerate }),
  }));
  const next = {
    ...current,
    encodings,
    ...(degradationPreference === undefined ? {} : { degradationPreference }),
  } as RTCRtpSendParameters;
  return Promise.resolve()
    .then(() => sender.setParameters(next))
    .then(
      () => undefined,
      (cause: unknown) =>
        report({
          type: 'peer.error',
          error: new MediaError(
            'setParameters',
            `could not apply ${JSON.stringify(parameters)}`,
            cause,
          ),
        }),
    );
}

/** What `RTCRtpReceiver.getCapabilities(kind)` lists in `scope`, or `null` where it is missing. */
export function receiveCodecs(scope: object, kind: 'audio' | 'video'): RTCRtpCodec[] | null {
  const receiver = (
    scope as { RTCRtpReceiver?: { getCapabilities?: typeof RTCRtpReceiver.getCapabilities } }
  ).RTCRtpReceiver;
  return receiver?.getCapabilities?.(kind)?.codecs ?? null;
}

/** `mimeTypes` the engine cannot receive (compared without case, as MIME types are). */
export function unknownCodecs(codecs: readonly RTCRtpCodec[], mimeTypes: readonly string[]) {
  const known = new Set(codecs.map((c) => c.mimeType.toLowerCase()));
  return mimeTypes.filter((m) => !known.has(m.toLowerCase()));
}

/**
 * The engine's codecs with `mimeTypes` first, in their order; the rest (RTX, RED, FEC and the
 * other codecs) after, so a remote without the preferred codec still finds one in common.
 */
export function orderCodecs(codecs: readonly RTCRtpCodec[], mimeTypes: readonly string[]) {
  const rank = (c: RTCRtpCodec) => {
    const i = mimeTypes.findIndex((m) => m.toLowerCase() === c.mimeType.toLowerCase());
    return i === -1 ? mimeTypes.length : i;
  };
  return [...codecs].sort((a, b) => rank(a) - rank(b));
}

/**
 * The intent's codec preferences on every transceiver of their kind. `setCodecPreferences`
 * fires no `negotiationneeded` (webrtc-pc): the caller renegotiates if a connection is up.
 */
export function applyCodecPreferences(
  pc: PeerConnectionLike,
  intent: MediaIntent,
  scope: object,
  report: Report,
): void {
  for (const kind of ['audio', 'video'] as const) {
    const mimeTypes = intent.codecPreferences?.[kind];
    if (!mimeTypes) continue;
    const codecs = receiveCodecs(scope, kind) ?? [];
    const ordered = mimeTypes.length ? orderCodecs(codecs, mimeTypes) : [];
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.receiver.track.kind !== kind || transceiver.currentDirection === 'stopped')
        continue;
      try {
        transceiver.setCodecPreferences(ordered);
      } catch (cause) {
        report({
          type: 'peer.error',
          error: new MediaError(
            'setCodecPreferences',
            `could not prefer ${mimeTypes.join(', ')} on a ${kind} transceiver`,
            cause,
          ),
        });
      }
    }
  }
}
