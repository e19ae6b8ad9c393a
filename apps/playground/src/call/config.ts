/**
 * What the page runs, read from its URL so a second tab (or a bug report) can open the same.
 * @module
 */
import type { IceRestartOptions } from '@peerstatejs/core';

export type SignalingMode = 'in-memory' | 'broadcast-channel' | 'websocket';
export type Role = 'impolite' | 'polite';

export interface PlaygroundConfig {
  /** `room`: the room view (`?view=room`), a mesh of participants in this page. */
  readonly view: 'call' | 'room';
  readonly mode: SignalingMode;
  /** BroadcastChannel name / WebSocket room. */
  readonly room: string;
  /** This tab's perfect-negotiation role (tab modes only). */
  readonly role: Role;
  readonly url: string;
  /** `quick`: a short ICE-restart policy, so a broken call ends in seconds, not half a minute. */
  readonly ice: 'default' | 'quick';
  /** `relay`: `iceTransportPolicy: 'relay'`, only TURN candidates (none without a `turn` server). */
  readonly transport: 'all' | 'relay';
  /** A TURN server (`turn:host:port`), with `turnUser` / `turnPass`; empty for none. */
  readonly turn: string;
  readonly turnUser: string;
  readonly turnPass: string;
  /** `answerTimeout` (ms) of both peers, when the URL sets one (`answerTimeout=500`). */
  readonly answerTimeout: number | null;
}

/** The peer connection's configuration the URL asks for. */
export function rtcConfiguration(config: PlaygroundConfig): RTCConfiguration | undefined {
  if (config.transport === 'all' && !config.turn) return undefined;
  return {
    ...(config.transport === 'relay' ? { iceTransportPolicy: 'relay' as const } : {}),
    ...(config.turn
      ? {
          iceServers: [
            { urls: config.turn, username: config.turnUser, credential: config.turnPass },
          ],
        }
      : {}),
  };
}

export const QUICK_ICE_RESTART: IceRestartOptions = {
  disconnectedGracePeriod: 1000,
  connectTimeout: 8000,
  maxAttempts: 3,
  initialDelay: 500,
  factor: 2,
  maxDelay: 2000,
};

export const PEER_NAMES: Record<Role, string> = { impolite: 'Alice', polite: 'Bob' };

function positive(text: string | null): number | null {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : null;
}

export function readConfig(search: string): PlaygroundConfig {
  const params = new URLSearchParams(search);
  const signaling = params.get('signaling');
  const mode: SignalingMode =
    signaling === 'broadcast-channel' || signaling === 'websocket' ? signaling : 'in-memory';
  return {
    view: params.get('view') === 'room' ? 'room' : 'call',
    mode,
    room: params.get('room') || 'peerstate-playground',
    role: params.get('role') === 'polite' ? 'polite' : 'impolite',
    url: params.get('url') || 'ws://127.0.0.1:8787',
    ice: params.get('ice') === 'quick' ? 'quick' : 'default',
    transport: params.get('transport') === 'relay' ? 'relay' : 'all',
    turn: params.get('turn') ?? '',
    turnUser: params.get('turnUser') ?? '',
    turnPass: params.get('turnPass') ?? '',
    answerTimeout: positive(params.get('answerTimeout')),
  };
}

export function configSearch(config: PlaygroundConfig): string {
  const params = new URLSearchParams();
  if (config.view === 'room') params.set('view', 'room');
  if (config.mode !== 'in-memory') {
    params.set('signaling', config.mode);
    params.set('room', config.room);
    params.set('role', config.role);
    if (config.mode === 'websocket') params.set('url', config.url);
  }
  if (config.ice === 'quick') params.set('ice', 'quick');
  if (config.transport === 'relay') params.set('transport', 'relay');
  if (config.answerTimeout) params.set('answerTimeout', String(config.answerTimeout));
  if (config.turn) {
    params.set('turn', config.turn);
    if (config.turnUser) params.set('turnUser', config.turnUser);
    if (config.turnPass) params.set('turnPass', config.turnPass);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}
