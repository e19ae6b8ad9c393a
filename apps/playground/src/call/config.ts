/**
 * What the page runs, read from its URL so a second tab (or a bug report) can open the same.
 * @module
 */
import type { IceRestartOptions } from '@peerstatejs/core';

export type SignalingMode = 'in-memory' | 'broadcast-channel' | 'websocket';
export type Role = 'impolite' | 'polite';

export interface PlaygroundConfig {
  readonly mode: SignalingMode;
  /** BroadcastChannel name / WebSocket room. */
  readonly room: string;
  /** This tab's perfect-negotiation role (tab modes only). */
  readonly role: Role;
  readonly url: string;
  /** `quick`: a short ICE-restart policy, so a broken call ends in seconds, not half a minute. */
  readonly ice: 'default' | 'quick';
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

export function readConfig(search: string): PlaygroundConfig {
  const params = new URLSearchParams(search);
  const signaling = params.get('signaling');
  const mode: SignalingMode =
    signaling === 'broadcast-channel' || signaling === 'websocket' ? signaling : 'in-memory';
  return {
    mode,
    room: params.get('room') || 'peerstate-playground',
    role: params.get('role') === 'polite' ? 'polite' : 'impolite',
    url: params.get('url') || 'ws://127.0.0.1:8787',
    ice: params.get('ice') === 'quick' ? 'quick' : 'default',
  };
}

export function configSearch(config: PlaygroundConfig): string {
  const params = new URLSearchParams();
  if (config.mode !== 'in-memory') {
    params.set('signaling', config.mode);
    params.set('room', config.room);
    params.set('role', config.role);
    if (config.mode === 'websocket') params.set('url', config.url);
  }
  if (config.ice === 'quick') params.set('ice', 'quick');
  const search = params.toString();
  return search ? `?${search}` : '';
}
