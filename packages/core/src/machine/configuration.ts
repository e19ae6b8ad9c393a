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

/** Calls the function (or takes the value); a promise only when the function returned one. */
export function resolveConfiguration(
  configuration: PeerConfiguration,
): RTCConfiguration | Promise<RTCConfiguration> {
  return typeof configuration === 'function' ? configuration() : configuration;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

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
    resolved = resolveConfiguration(configuration);
  } catch (cause) {
    fail(new PeerConnectionError(cause), false);
    return;
  }
  if (!isPromise(resolved)) {
    use(resolved, false);
    return;
  }
  resolved.then(
    (configuration) => use(configuration, true),
    (cause: unknown) => fail(new PeerConnectionError(cause), true),
  );
}

/**
 * Gives a running peer connection the ICE servers (and transport policy) of a fresh
 * configuration before an ICE restart gathers again. Only those: webrtc-pc §4.4.1.6
 * `setConfiguration` refuses a change of `bundlePolicy`, `rtcpMuxPolicy` or `certificates`
 * (`InvalidModificationError`), which a function building a whole configuration may well return.
 */
export function refreshIceServers(pc: PeerConnectionLike, configuration: RTCConfiguration): void {
  const target = pc as PeerConnectionLike & {
    getConfiguration?: () => RTCConfiguration;
    setConfiguration?: (configuration: RTCConfiguration) => void;
  };
  if (typeof target.setConfiguration !== 'function') return;
  const current = typeof target.getConfiguration === 'function' ? target.getConfiguration() : {};
  target.setConfiguration({
    ...current,
    iceServers: configuration.iceServers ?? [],
    ...(configuration.iceTransportPolicy === undefined
      ? {}
      : { iceTransportPolicy: configuration.iceTransportPolicy }),
  });
}

/**
 * Restarts ICE, first handing the connection fresh ICE servers when the configuration is a
 * function. When that function is async, the restart waits for it and is skipped if the
 * connection was replaced or closed meanwhile (a rebuild gets its own configuration).
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
  const current = (): boolean => {
    const snapshot = self.getSnapshot();
    return snapshot.status === 'active' && snapshot.context.pc === pc;
  };
  withConfiguration(
    configuration,
    (fresh, later) => {
      if (later && (!current() || pc.signalingState === 'closed')) return;
      try {
        refreshIceServers(pc, fresh);
      } catch (cause) {
        report({ type: 'peer.error', error: new PeerConnectionError(cause) });
      }
      restartIce(pc, report);
    },
    (error) => {
      report({ type: 'peer.error', error });
      // The restart still runs with the credentials the connection has: better than none.
      restartIce(pc, report);
    },
  );
}
