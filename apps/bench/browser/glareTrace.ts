/**
 * `--trace=glare` (issue 12): when, in a glare round and in a clean one, each engine step and each
 * machine event happens, ms after the round's start (both peers add a track / one does), median
 * over rounds. The engine pass runs without XState inspection (it slows every event); the machine
 * pass, on rounds of its own, records each event the two machines take (`a` impolite, `b`
 * polite), when it was sent to the machine and how long the machine took over it.
 */

import type { PeerActor } from '@peerstatejs/core';
import type { InspectionEvent } from 'xstate';
import { type Hooks, renegotiate, w3cRenegotiate } from './glare.js';

type Marks = Record<string, number>;

const now = () => performance.now();

/** A recorder: `mark` keeps the n-th occurrence of each step, in ms after `t0`. */
function recorder() {
  let t0 = Number.POSITIVE_INFINITY;
  const at: Marks = {};
  const seen: Record<string, number> = {};
  let t1 = Number.POSITIVE_INFINITY;
  const mark = (what: string, time = now()): string | null => {
    if (time < t0 || time > t1) return null;
    const n = (seen[what] ?? 0) + 1;
    seen[what] = n;
    const key = n === 1 ? what : `${what} #${n}`;
    at[key] = time - t0;
    return key;
  };
  return {
    at,
    mark,
    stop: () => {
      t1 = now();
    },
    start: (time: number) => {
      t0 = time;
    },
  };
}

/** Wraps the engine's negotiation calls and listens to its events for the length of `run`. */
async function engineTraced(run: (hooks: Hooks) => Promise<unknown>): Promise<Marks> {
  const { at, mark, start, stop } = recorder();
  const Original = window.RTCPeerConnection;
  const proto = Original.prototype;
  const senderProto = RTCRtpSender.prototype;
  const saved = {
    setLocalDescription: proto.setLocalDescription,
    setRemoteDescription: proto.setRemoteDescription,
  };
  const savedReplace = senderProto.replaceTrack;
  const names = new WeakMap<object, string>();
  let created = 0;
  const Traced = function (this: unknown, ...args: ConstructorParameters<typeof Original>) {
    const pc = new Original(...args);
    const who = created++ === 0 ? 'a' : 'b';
    names.set(pc, who);
    pc.addEventListener('negotiationneeded', () => mark(`${who} negotiationneeded`));
    pc.addEventListener('signalingstatechange', () => mark(`${who} → ${pc.signalingState}`));
    pc.addEventListener('track', ({ track }) => {
      mark(`${who} track`);
      track.addEventListener('unmute', () => mark(`${who} remote track unmuted`), { once: true });
    });
    return pc;
  } as unknown as typeof RTCPeerConnection;
  Traced.prototype = proto;
  for (const name of Object.keys(saved) as (keyof typeof saved)[]) {
    const original = saved[name] as (...args: unknown[]) => Promise<void>;
    (proto as unknown as Record<string, unknown>)[name] = function (
      this: RTCPeerConnection,
      ...args: unknown[]
    ) {
      const arg = args[0] as { type?: string } | undefined;
      const what = `${names.get(this)} ${name}(${arg?.type ?? ''}) in ${this.signalingState}`;
      mark(`${what} called`);
      return original.apply(this, args).then((value) => {
        mark(`${what} done`);
        return value;
      });
    };
  }
  senderProto.replaceTrack = function (this: RTCRtpSender, track) {
    const what = `replaceTrack(${track ? 'track' : 'null'})`;
    mark(`${what} called`);
    return savedReplace.call(this, track).then(() => {
      mark(`${what} done`);
    });
  };
  // Synchronous calls, some a blocking hop to the engine's signaling thread in Chromium: how
  // many after the start, and their total ms (`Σ <name>`, `Σ <name> ms`; `Σ a addTrack` for a
  // peer connection's own). Wrapped where they are defined: the page's RTCPeerConnection is
  // run.mjs's counting subclass, whose prototype has none of the native methods (so, before,
  // no `Σ addTrack` was ever recorded).
  let armed = false;
  const restore: (() => void)[] = [];
  const sum = (target: object, name: string, accessor: 'value' | 'set') => {
    let owner: object | null = target;
    while (owner && !Object.getOwnPropertyDescriptor(owner, name))
      owner = Object.getPrototypeOf(owner);
    const descriptor = owner && Object.getOwnPropertyDescriptor(owner, name);
    const original = descriptor?.[accessor] as ((...args: unknown[]) => unknown) | undefined;
    if (!owner || !descriptor || !original) return;
    const timed = function (this: object, ...args: unknown[]) {
      if (!armed) return original.apply(this, args);
      const t = now();
      try {
        return original.apply(this, args);
      } finally {
        const key = `Σ ${names.has(this) ? `${names.get(this)} ` : ''}${name}`;
        at[key] = (at[key] ?? 0) + 1;
        at[`${key} ms`] = (at[`${key} ms`] ?? 0) + now() - t;
      }
    };
    Object.defineProperty(owner, name, { ...descriptor, [accessor]: timed });
    const definedOn = owner;
    restore.push(() => Object.defineProperty(definedOn, name, descriptor));
  };
  for (const name of [
    'getTransceivers',
    'getSenders',
    'getReceivers',
    'addTrack',
    'addTransceiver',
  ])
    sum(proto, name, 'value');
  for (const name of ['getParameters', 'setStreams']) sum(senderProto, name, 'value');
  sum(RTCRtpTransceiver.prototype, 'direction', 'set');
  window.RTCPeerConnection = Traced;
  try {
    await run({
      start: (t0) => {
        armed = true;
        start(t0);
      },
      end: () => {
        armed = false;
        stop();
      },
    });
  } finally {
    armed = false;
    window.RTCPeerConnection = Original;
    Object.assign(proto, saved);
    senderProto.replaceTrack = savedReplace;
    for (const undo of restore) undo();
  }
  return at;
}

/** The machines' events (a, b), when each arrived and how long it took: `<key>` and `<key> ms`. */
async function machineTraced(glare: boolean): Promise<Marks> {
  const { at, mark, start, stop } = recorder();
  let peers: { a: PeerActor; b: PeerActor } | undefined;
  const pending = new Map<unknown, { key: string; at: number }>();
  let busyUntil = 0;
  const inspect = (event: InspectionEvent) => {
    if (event.actorRef.sessionId !== event.rootId || !peers) return;
    const who = event.actorRef === peers.a ? 'a' : 'b';
    if (event.type === '@xstate.event') {
      const type = event.event.type.replace(/^xstate\.(done|error)\.actor\.\d+\.peer\./, '$1 ');
      const key = mark(`${who} ⇐ ${type}`);
      if (key) pending.set(event.event, { key, at: now() });
    } else if (event.type === '@xstate.snapshot') {
      const sent = pending.get(event.event);
      if (!sent) return;
      pending.delete(event.event);
      const end = now();
      // The machine's time on it, not the time it queued behind another event.
      at[`${sent.key} ms`] = end - Math.max(sent.at, busyUntil);
      busyUntil = end;
    }
  };
  await renegotiate(glare, {
    inspect,
    start: (t0, actors) => {
      peers = actors;
      start(t0);
    },
    end: stop,
  });
  return at;
}

function medians(runs: Marks[]): Marks {
  const out: Marks = {};
  for (const key of new Set(runs.flatMap((r) => Object.keys(r)))) {
    const values = runs
      .map((r) => r[key])
      .filter((v): v is number => v !== undefined)
      .sort((x, y) => x - y);
    // A step seen in fewer than half the rounds is not part of the typical round.
    if (values.length * 2 >= runs.length) out[key] = values[Math.floor(values.length / 2)]!;
  }
  return out;
}

/** `rounds` traced rounds of each kind, interleaved: the median time of each step. */
export async function traceGlare(rounds: number) {
  const runs = {
    machineGlare: [] as Marks[],
    machineClean: [] as Marks[],
    w3cGlare: [] as Marks[],
    w3cClean: [] as Marks[],
    eventsGlare: [] as Marks[],
    eventsClean: [] as Marks[],
  };
  for (let i = 0; i < rounds; i++) {
    runs.machineGlare.push(await engineTraced((hooks) => renegotiate(true, hooks)));
    runs.machineClean.push(await engineTraced((hooks) => renegotiate(false, hooks)));
    runs.w3cGlare.push(await engineTraced((hooks) => w3cRenegotiate(true, hooks)));
    runs.w3cClean.push(await engineTraced((hooks) => w3cRenegotiate(false, hooks)));
    runs.eventsGlare.push(await machineTraced(true));
    runs.eventsClean.push(await machineTraced(false));
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
}
