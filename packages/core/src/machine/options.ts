import type {
  IceRestartOptions,
  PeerOptions,
  RebuildOptions,
  ResolvedPeerOptions,
} from './types.js';

/** The ICE restart policy used when none is given. */
export const DEFAULT_ICE_RESTART: IceRestartOptions = {
  disconnectedGracePeriod: 2000,
  connectTimeout: 15_000,
  maxAttempts: 5,
  initialDelay: 1000,
  factor: 2,
  maxDelay: 10_000,
};

/** The rebuild policy used when none is given. */
export const DEFAULT_REBUILD: RebuildOptions = {
  maxAttempts: 2,
  timeout: 10_000,
};

function isDevelopment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.NODE_ENV !== 'production';
}

function mediaDevicesIn(scope: object): Pick<MediaDevices, 'getUserMedia'> | undefined {
  const navigator = (scope as { navigator?: { mediaDevices?: MediaDevices } }).navigator;
  return navigator?.mediaDevices;
}

/** Fills in every default. Reads no global until the peer starts. */
export function resolvePeerOptions(options: PeerOptions): ResolvedPeerOptions {
  const scope = options.scope ?? globalThis;
  return {
    signaling: options.signaling,
    polite: options.polite,
    configuration: options.configuration ?? {},
    peerConnection: options.peerConnection,
    scope,
    mediaDevices: options.mediaDevices ?? mediaDevicesIn(scope),
    iceRestart: { ...DEFAULT_ICE_RESTART, ...options.iceRestart },
    rebuild: { ...DEFAULT_REBUILD, ...options.rebuild },
    rollback: options.rollback ?? 'auto',
    answerTimeout: options.answerTimeout ?? 10_000,
    signalingLimits: options.signalingLimits ?? {},
    autoStart: options.autoStart ?? true,
    now: options.now ?? Date.now,
    dev: options.dev ?? isDevelopment(),
  };
}
