/**
 * `--trace=<arm>` (issue 22): when, in a call of one connect arm, each engine step happens, the
 * same milestones for every arm, so where the SDK's connect falls behind the raw pair's shows
 * step by step. Peer connections are numbered per call in creation order (0: the offerer).
 */
import { type ConnectArm, connectArm, sdkInspection } from './connect.js';

type Milestones = Record<string, number>;

const now = () => performance.now();

/** Wraps `RTCPeerConnection` for the length of `run`, recording each milestone's first time. */
async function traced(run: () => Promise<unknown>): Promise<Milestones> {
  const Original = window.RTCPeerConnection;
  const proto = Original.prototype;
  const saved = {
    setLocalDescription: proto.setLocalDescription,
    setRemoteDescription: proto.setRemoteDescription,
    addIceCandidate: proto.addIceCandidate,
  };
  const ids = new WeakMap<object, number>();
  const at: Milestones = {};
  const t0 = now();
  const mark = (pc: object, what: string) => {
    const key = `${ids.get(pc) ?? '?'} ${what}`;
    at[key] ??= now() - t0;
  };
  let created = 0;
  const Traced = function (this: unknown, ...args: ConstructorParameters<typeof Original>) {
    const pc = new Original(...args);
    ids.set(pc, created++);
    mark(pc, 'created');
    pc.addEventListener('negotiationneeded', () => mark(pc, 'negotiationneeded'));
    pc.addEventListener('icecandidate', () => mark(pc, 'icecandidate'));
    pc.addEventListener('iceconnectionstatechange', () => mark(pc, `ice ${pc.iceConnectionState}`));
    pc.addEventListener('connectionstatechange', () => mark(pc, `conn ${pc.connectionState}`));
    pc.addEventListener('datachannel', () => mark(pc, 'datachannel'));
    return pc;
  } as unknown as typeof RTCPeerConnection;
  Traced.prototype = proto;
  const wrap = <K extends keyof typeof saved>(name: K) => {
    const original = saved[name] as (...args: unknown[]) => Promise<void>;
    (proto as unknown as Record<string, unknown>)[name] = function (
      this: RTCPeerConnection,
      ...args: unknown[]
    ) {
      const what = name === 'addIceCandidate' ? name : `${name}(${this.signalingState})`;
      mark(this, `${what} called`);
      return original.apply(this, args).then((value) => {
        mark(this, `${what} done`);
        return value;
      });
    };
  };
  for (const name of Object.keys(saved) as (keyof typeof saved)[]) wrap(name);
  window.RTCPeerConnection = Traced;
  try {
    await run();
  } finally {
    window.RTCPeerConnection = Original;
    Object.assign(proto, saved);
  }
  return at;
}

/**
 * `calls` traced calls of `arm`: the median time of each milestone after the call's start; for
 * the SDK, also how many events each peer's machine took, by type (`events <type>`, per call).
 */
export async function traceArm(arm: ConnectArm, calls: number): Promise<Milestones> {
  const runs: Milestones[] = [];
  const events: Record<string, number> = {};
  if (arm.startsWith('sdk'))
    sdkInspection.observer = (event) => {
      if (event.type !== '@xstate.event' || event.actorRef.sessionId !== event.rootId) return;
      const type = event.event.type.replace(/^xstate\.(done|error)\.actor\.\d+\.peer\./, '$1 ');
      const key = `events ${type}`;
      events[key] = (events[key] ?? 0) + 1;
    };
  // Counted on calls of their own: inspection slows every event down.
  try {
    for (let i = 0; i < calls; i++) await connectArm(arm, false);
  } finally {
    sdkInspection.observer = undefined;
  }
  for (let i = 0; i < calls; i++) runs.push(await traced(() => connectArm(arm, false)));
  const median: Milestones = {};
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs
      .map((r) => r[key])
      .filter((v): v is number => v !== undefined)
      .sort((x, y) => x - y);
    median[key] = values[Math.floor(values.length / 2)] ?? Number.NaN;
  }
  for (const [key, n] of Object.entries(events)) median[key] = n / calls;
  return median;
}
