import type {
  IceRestartOptions,
  PeerMediaDevices,
  PeerOptions,
  RebuildOptions,
  ResolvedPeerOptions,
} from './types.js';

/** The ICE restart policy used when none is given. */
export const DEFAULT_ICE_RESTART: IceRestartOptions = {
  disconnectedGracePeriod: 1000,
  connectTimeout: 5000,
  // One restart a second for a minute (see ice/restartPolicy.ts), then a rebuild.
  maxAttempts: 60,
  initialDelay: 1000,
  factor: 1,
  maxDelay: 1000,
};

/** The rebuild policy used when none is given. */
export const DEFAULT_REBUILD: RebuildOptions = {
  maxAttempts: 2,
  timeout: 10_000,
};

declare const process: { readonly env: { readonly NODE_ENV?: string } };

function isDevelopment(): boolean {
  // Browsers have no `process`: production builds see this only because the bundler replaced the
  // literal `process.env.NODE_ENV` with a string (Vite, webpack's nodeEnv, esbuild's define), so it
  // must stay spelled out. A `typeof process` check in front would turn the replaced form back into
  // "development" in the browser; the catch covers the unbundled case (no `process`) instead.
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
}

function mediaDevicesIn(scope: object): PeerMediaDevices | undefined {
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
    mediaControls: options.mediaControls,
  };
}
