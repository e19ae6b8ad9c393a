/**
 * A `SignalingChannel` over a WebSocket to the test relay, as an application would write one:
 * messages sent while the socket is down wait in a queue, and a dropped socket reconnects (the
 * relay may restart mid-call). Messages that arrive before the SDK subscribes wait for it.
 */
import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import { record } from './log.js';

export interface WebSocketSignalingOptions {
  /** `ws://127.0.0.1:PORT`. */
  readonly url: string;
  readonly room: string;
  /** This end's id in the room. */
  readonly peer: string;
}

export interface WebSocketSignaling extends SignalingChannel {
  /** Messages sent, by type (`description:offer`, `candidate`, `bye`, …). */
  readonly sent: Record<string, number>;
  readonly status: () => { readonly open: boolean; readonly opens: number; readonly drops: number };
  close(): void;
}

const RECONNECT_MS = [100, 200, 400, 800, 1_000];

export function messageKind(message: SignalingMessage): string {
  return message.type === 'description' ? `description:${message.description.type}` : message.type;
}

/** A description's type, id and m-lines (kind:mid:direction) and header-extension ids, for the log. */
function sdpSketch(data: string): string {
  try {
    const m = JSON.parse(data) as { id?: string; description?: { type?: string; sdp?: string } };
    const sections = (m.description?.sdp ?? '').split(/\r?\nm=/).slice(1);
    const lines = sections.map((section) => {
      const kind = section.split(' ')[0];
      const mid = /a=mid:(\S+)/.exec(section)?.[1];
      const dir = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(section)?.[1] ?? '';
      const ext = [...section.matchAll(/a=extmap:(\d+)\S* (\S+)/g)]
        .map(([, id, uri]) => `${id}=${uri?.split(/[/:]/).pop()}`)
        .join(',');
      return `${kind}:${mid}:${dir}${ext ? `[${ext}]` : ''}`;
    });
    return `${m.description?.type} ${m.id ?? ''} ${lines.join(' ')}`;
  } catch {
    return data.slice(0, 120);
  }
}

export function createWebSocketSignaling(options: WebSocketSignalingOptions): WebSocketSignaling {
  const target = `${options.url}/?room=${encodeURIComponent(options.room)}&peer=${encodeURIComponent(options.peer)}`;
  const listeners = new Set<(message: unknown) => void>();
  const outbox: string[] = [];
  const inbox: string[] = [];
  const sent: Record<string, number> = {};
  let socket: WebSocket | undefined;
  let closed = false;
  let opens = 0;
  let drops = 0;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (data: string) => {
    if (listeners.size === 0) {
      inbox.push(data);
      return;
    }
    for (const listener of [...listeners]) listener(data);
  };

  const connect = () => {
    const ws = new WebSocket(target);
    socket = ws;
    ws.onopen = () => {
      opens += 1;
      failures = 0;
      record(options.peer, 'ws', `open #${opens}`);
      for (const data of outbox.splice(0)) ws.send(data);
    };
    ws.onmessage = (event) => {
      const data = String(event.data);
      if (data.includes('"description"')) record(options.peer, 'ws:received', sdpSketch(data));
      deliver(data);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      if (closed) return;
      drops += 1;
      const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)] ?? 1_000;
      failures += 1;
      record(options.peer, 'ws', `closed (${event.code}); reconnecting in ${delay} ms`);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    sent,
    send(message) {
      if (closed) throw new Error('signaling channel closed');
      const kind = messageKind(message);
      sent[kind] = (sent[kind] ?? 0) + 1;
      const data = JSON.stringify(message);
      if (message.type === 'description') record(options.peer, 'ws:sent', sdpSketch(data));
      if (socket?.readyState === WebSocket.OPEN) socket.send(data);
      else outbox.push(data);
    },
    subscribe(listener) {
      listeners.add(listener);
      for (const data of inbox.splice(0)) listener(data);
      return () => listeners.delete(listener);
    },
    status: () => ({ open: socket?.readyState === WebSocket.OPEN, opens, drops }),
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
      socket = undefined;
    },
  };
}
