/**
 * The peer connection's `RTCConfiguration`, given as a value or as a function the SDK calls for
 * every new peer connection (the first, each rebuild) and before every ICE restart. Hosted TURN
 * hands out credentials that expire (coturn's `use-auth-secret`, a TURN REST API): a recovery
 * that reused the credentials of the call's start would fail exactly when it is needed.
 * @module
 */
import { PeerConnectionError } from '../errors.js';
import type { PeerConnectionLike } from '../platform/types.js';
import { restartIce } from './ice.js';
import { reporter } from './report.js';
import type { PeerConfiguration } from './types.js';

/**
 * Runs `use` with the configuration: synchronously when it is a value or the function returned
 * one (so a plain configuration behaves exactly as before), else once the promise settles
 * (`later`: the machine may have moved on meanwhile). A throw or a rejection goes to `fail` as a
 * `PEER_CONNECTION_FAILED` error naming the cause.
 */
export function withConfiguration(
  configuration: PeerConfiguration,
  use: (configuration: RTCConfiguration, later: boolean) => void,
  fail: (error: PeerConnectionError, later: boolean) => void,
): void {
  let resolved: RTCConfiguration | Promise<RTCConfiguration>;
  try {
    resolved = typeof configuration === 'function' ? configuration() : configuration;
  } catch (cause) {
    fail(new PeerConnectionError(cause), false);
    return;
  }
  if (typeof (resolved as { then?: unknown }).then !== 'function') {
    use(resolved as RTCConfiguration, false);
    return;
  }
  (resolved as Promise<RTCConfiguration>).then(
    (fresh) => use(fresh, true),
    (cause: unknown) => fail(new PeerConnectionError(cause), true),
  );
}

/**
 * Restarts ICE, first handing the connection fresh ICE servers when the configuration is a
 * function. When that function is async, the restart waits for it and is skipped if the
 * connection was replaced meanwhile (a rebuild gets its own configuration). Only the ICE servers
 * and transport policy change: webrtc-pc §4.4.1.6 `setConfiguration` refuses a change of
 * `bundlePolicy`, `rtcpMuxPolicy` or `certificates` (`InvalidModificationError`), which a
 * function building a whole configuration may well return.
 */
export function restartIceWithConfiguration(
  pc: PeerConnectionLike,
  configuration: PeerConfiguration,
  self: {
    send: Parameters<typeof reporter>[0]['send'];
    getSnapshot: () => { status: string; context: { pc: PeerConnectionLike | null } };
  },
): void {
  const report = reporter(self);
  if (typeof configuration !== 'function') {
    restartIce(pc, report);
    return;
  }
  withConfiguration(
    configuration,
    (fresh, later) => {
      const { status, context } = self.getSnapshot();
      if (later && (status !== 'active' || context.pc !== pc)) return;
      const target = pc as Partial<
        Pick<RTCPeerConnection, 'getConfiguration' | 'setConfiguration'>
      >;
      try {
        target.setConfiguration?.({
          ...target.getConfiguration?.(),
          iceServers: fresh.iceServers ?? [],
          ...(fresh.iceTransportPolicy ? { iceTransportPolicy: fresh.iceTransportPolicy } : {}),
        });
      } catch (cause) {
        report({ type: 'peer.error', error: new PeerConnectionError(cause) });
      }
      restartIce(pc, report);
    },
    (error) => {
      report({ type: 'peer.error', error });
      // The restart still runs with the servers the connection has: better than none.
      restartIce(pc, report);
    },
  );
}
