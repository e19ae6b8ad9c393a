/**
 * The XState floor (issue 22): the raw pair of connect.ts, with every engine event the SDK turns
 * into a machine event also sent to an XState machine per peer — the same kinds and the same
 * number per call as the SDK's trace counts (`--trace=sdk-direct`: ~51 for both peers). The
 * machine is the cheapest chart that still has the SDK's active configuration: five parallel
 * regions (signaling, connection, renegotiation, gathering, mute) and one `assign` per event
 * that mirrors what the event says into context; nothing else runs.
 *
 * So `raw-xstate` ÷ `raw` is what the event model costs with any chart: one XState macrostep per
 * engine event. If it is above the 1.05, no work inside the SDK's chart reaches it;
 * only fewer machine events per call can.
 */
import { assign, createActor, setup } from 'xstate';
import type { ConnectResult } from './connect.js';

interface FloorContext {
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly candidatesSent: number;
  readonly messagesReceived: number;
  readonly stepsDone: number;
  readonly dataEvents: number;
}
type FloorEvent =
  | { readonly type: 'pc.statesChanged'; readonly pc: RTCPeerConnection }
  | { readonly type: 'pc.iceCandidate' }
  | { readonly type: 'signal.message' }
  | { readonly type: 'pc.stepDone' }
  | { readonly type: 'pc.negotiationNeeded' }
  | { readonly type: 'data' }
  | { readonly type: 'CLOSE' };

const statesOf = (event: FloorEvent) => (event.type === 'pc.statesChanged' ? event.pc : null);

const floorMachine = setup({
  types: { context: {} as FloorContext, events: {} as FloorEvent },
  guards: {
    connected: ({ event }) => statesOf(event)?.connectionState === 'connected',
    notStable: ({ event }) => (statesOf(event)?.signalingState ?? 'stable') !== 'stable',
    stable: ({ event }) => statesOf(event)?.signalingState === 'stable',
  },
  actions: {
    mirror: assign(({ event }) => {
      const pc = statesOf(event);
      return pc
        ? {
            signalingState: pc.signalingState,
            iceGatheringState: pc.iceGatheringState,
            iceConnectionState: pc.iceConnectionState,
            connectionState: pc.connectionState,
          }
        : {};
    }),
  },
}).createMachine({
  context: {
    signalingState: 'stable',
    iceGatheringState: 'new',
    iceConnectionState: 'new',
    connectionState: 'new',
    candidatesSent: 0,
    messagesReceived: 0,
    stepsDone: 0,
    dataEvents: 0,
  },
  initial: 'active',
  states: {
    active: {
      type: 'parallel',
      on: {
        'pc.iceCandidate': {
          actions: assign({ candidatesSent: ({ context }) => context.candidatesSent + 1 }),
        },
        'signal.message': {
          actions: assign({ messagesReceived: ({ context }) => context.messagesReceived + 1 }),
        },
        'pc.stepDone': { actions: assign({ stepsDone: ({ context }) => context.stepsDone + 1 }) },
        'pc.negotiationNeeded': {
          actions: assign({ stepsDone: ({ context }) => context.stepsDone }),
        },
        data: { actions: assign({ dataEvents: ({ context }) => context.dataEvents + 1 }) },
        CLOSE: { target: 'closed' },
      },
      states: {
        signaling: {
          initial: 'stable',
          states: {
            stable: {
              on: {
                'pc.statesChanged': [
                  { guard: 'notStable', target: 'negotiating', actions: 'mirror' },
                  { actions: 'mirror' },
                ],
              },
            },
            negotiating: {
              on: {
                'pc.statesChanged': [
                  { guard: 'stable', target: 'stable', actions: 'mirror' },
                  { actions: 'mirror' },
                ],
              },
            },
          },
        },
        connection: {
          initial: 'connecting',
          states: {
            connecting: { on: { 'pc.statesChanged': { guard: 'connected', target: 'connected' } } },
            connected: {},
          },
        },
        renegotiation: { initial: 'idle', states: { idle: {} } },
        gathering: { initial: 'sending', states: { sending: {} } },
        mute: { initial: 'following', states: { following: {} } },
      },
    },
    closed: { type: 'final' },
  },
});

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * - `listeners`: no machine; each listener only notes the connection state.
 * - `every`: every engine event the SDK observes is a machine event (the SDK's model).
 * - `coarse`: only what changes a state of the chart is: the steps' results, the connection
 *   state, the data channel; candidates and the other state mirrors stay out of the machine.
 */
export type FloorMode = 'listeners' | 'every' | 'coarse';

/** One peer connection and its machine; the engine events the SDK would see, sent to it. */
function peer(mode: FloorMode) {
  const pc = new RTCPeerConnection();
  // `listeners` runs no machine at all: not even an actor created and started.
  const actor = mode === 'listeners' ? null : createActor(floorMachine).start();
  let events = actor ? 1 : 0; // xstate.init
  let connectionState: RTCPeerConnectionState = 'new';
  /** `mirror`: an event the coarse model keeps out of the machine. */
  const send = (event: FloorEvent, mirror = false) => {
    if (event.type === 'pc.statesChanged') {
      // A state mirror, unless the connection state moved.
      mirror = event.pc.connectionState === connectionState;
      connectionState = event.pc.connectionState;
    }
    if (!actor || (mode === 'coarse' && mirror)) return;
    events++;
    actor.send(event);
  };
  const states = () => send({ type: 'pc.statesChanged', pc });
  for (const type of [
    'signalingstatechange',
    'icegatheringstatechange',
    'iceconnectionstatechange',
    'connectionstatechange',
  ])
    pc.addEventListener(type, states);
  pc.addEventListener('negotiationneeded', () => send({ type: 'pc.negotiationNeeded' }));
  const step = async (run: Promise<void>) => {
    await run;
    send({ type: 'pc.stepDone' });
  };
  return {
    pc,
    actor,
    send,
    step,
    events: () => events,
    connected: () => connectionState === 'connected',
  };
}

/** The raw pair of connect.ts, each side's engine events also sent to its floor machine. */
export async function rawWithXState(
  stream: MediaStream | null,
  mode: FloorMode,
): Promise<ConnectResult> {
  const t0 = performance.now();
  const a = peer(mode);
  const b = peer(mode);
  type Peer = ReturnType<typeof peer>;
  const trickle = (from: Peer, to: Peer) =>
    from.pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate) return;
      from.send({ type: 'pc.iceCandidate' }, true);
      const delivered = copy(candidate.toJSON());
      to.send({ type: 'signal.message' }, true);
      void to.pc.addIceCandidate(delivered);
    });
  trickle(a, b);
  trickle(b, a);
  b.pc.addEventListener('datachannel', ({ channel }) => {
    b.send({ type: 'data' });
    channel.addEventListener('open', () => b.send({ type: 'data' }));
    channel.addEventListener('message', () => {
      b.send({ type: 'data' });
      b.send({ type: 'data' }); // SEND_DATA
      channel.send('pong');
    });
  });
  for (const track of stream?.getTracks() ?? []) a.pc.addTrack(track, stream as MediaStream);
  a.send({ type: 'data' }); // CREATE_DATA_CHANNEL
  const chat = a.pc.createDataChannel('chat');
  let connectedAt = 0;
  const connected = new Promise<void>((resolve) => {
    const check = (isConnected: boolean) => {
      if (connectedAt || !isConnected) return;
      connectedAt = performance.now();
      resolve();
    };
    // Without the machine (`raw-listeners`), the same listener reads the state it was sent.
    if (a.actor)
      a.actor.subscribe((s) => check(s.matches({ active: { connection: 'connected' } })));
    else a.pc.addEventListener('connectionstatechange', () => check(a.connected()));
  });
  const pong = new Promise<number>((resolve) =>
    chat.addEventListener('message', () => {
      a.send({ type: 'data' });
      resolve(performance.now());
    }),
  );
  chat.addEventListener('open', () => {
    a.send({ type: 'data' });
    a.send({ type: 'data' }); // SEND_DATA
    chat.send('ping');
  });
  await a.step(a.pc.setLocalDescription());
  b.send({ type: 'signal.message' });
  await b.step(
    b.pc.setRemoteDescription(copy(a.pc.localDescription?.toJSON()) as RTCSessionDescriptionInit),
  );
  await b.step(b.pc.setLocalDescription());
  a.send({ type: 'signal.message' });
  await a.step(
    a.pc.setRemoteDescription(copy(b.pc.localDescription?.toJSON()) as RTCSessionDescriptionInit),
  );
  const pongAt = await pong;
  await connected;
  a.send({ type: 'CLOSE' });
  b.send({ type: 'CLOSE' });
  a.pc.close();
  b.pc.close();
  return {
    connectedMs: connectedAt - t0,
    roundTripMs: pongAt - t0,
    machineEvents: a.events() + b.events(),
  };
}
