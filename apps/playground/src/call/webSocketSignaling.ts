/**
 * A minimal WebSocket signaling channel: each message is one JSON text frame, and every frame
 * received is handed to the SDK (which validates it). It expects a relay that forwards a frame
 * to the other peers of the same URL; the reference server may need a join step this lacks.
 * @module
 */
import type { SignalingChannel, SignalingMessage } from '@peerstate/core';

export interface WebSocketSignaling extends SignalingChannel {
  close(): void;
}

export function createWebSocketSignaling(url: string): WebSocketSignaling {
  const socket = new WebSocket(url);
  // Sent before the socket opened: flushed in order on open.
  const queue: string[] = [];
  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame);
  });
  return {
    send(message: SignalingMessage) {
      const frame = JSON.stringify(message);
      if (socket.readyState === WebSocket.CONNECTING) queue.push(frame);
      else if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else throw new Error(`WebSocket ${url} is closed`);
    },
    subscribe(listener) {
      const onMessage = (event: MessageEvent) => listener(event.data);
      socket.addEventListener('message', onMessage);
      return () => socket.removeEventListener('message', onMessage);
    },
    close: () => socket.close(),
  };
}
