/**
 * Model-based paths: the coverage targets are every state node and every transition of
 * `peerMachine`'s own definition (see coverage.ts). Each path below is an event sequence run
 * against two real peers (fake engines, fake network, a controllable signaling wire); XState's
 * inspection records what each path really took, the invariants of harness.ts are checked on
 * every snapshot, and the last test asserts that the paths together take 100 % of both.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeerSnapshot } from '../../machine/createPeer.js';
import { OUTBOX_TIMEOUT_MS, type QueuedSendError } from '../../machine/data/outbox.js';
import { peerMachine } from '../../machine/peerMachine.js';
import { mediaControls } from '../../media-controls/index.js';
import type { SignalingMessage } from '../../signaling/types.js';
import {
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
  type FakeDataChannel,
  type FakeMediaStreamTrack,
  FakePeerConnection,
} from '../../testing/index.js';
import { CoverageRecorder, formatCoverage, machineTargets } from './coverage.js';
import {
  createModelCall,
  type DeliveryPlan,
  FAST_TIMING,
  isConnected,
  type ModelCall,
  type ModelCallOptions,
  type ModelPeer,
  openChannels,
  receivedKinds,
  reliable,
  sentKinds,
} from './harness.js';

const targets = machineTargets(peerMachine);

/** What the paths took, together. */
const covered = new CoverageRecorder();
/**
 * Transitions of the definition that no run can take, and why. Checked below: the reason must
 * still hold in the definition, so the entry cannot outlive the code that made it unreachable.
 */
/** Transitions no path can take, each with the reason (none today). */
const UNREACHABLE_BY_CONSTRUCTION: Record<string, string> = {};
let current: ModelCall | null = null;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  current?.dispose();
  current = null;
  vi.useRealTimers();
});

/** Runs a path with its own recorder; checks the transitions it was designed to take. */
async function path(
  options: ModelCallOptions,
  designedFor: readonly string[],
  run: (call: ModelCall) => Promise<void>,
): Promise<void> {
  const recorder = new CoverageRecorder();
  const call = createModelCall({ ...options, inspect: recorder.inspect });
  current = call;
  await run(call);
  for (const peer of [call.a, call.b]) {
    expect(peer.violations, `invariants of ${peer.name}`).toEqual([]);
    expect(peer.escaped, `errors escaping ${peer.name}`).toEqual([]);
  }
  expect(call.unhandled, 'unhandled rejections').toEqual([]);
  expect(await call.closeAndCheckLeaks(), 'leaks after close').toEqual([]);
  covered.merge(recorder);
  const taken = [...recorder.transitions.keys()];
  for (const fragment of designedFor) {
    expect(
      taken.some((key) => key.includes(fragment)),
      `path was designed to take "${fragment}"`,
    ).toBe(true);
  }
}

async function until(
  call: ModelCall,
  peer: ModelPeer,
  predicate: (snapshot: PeerSnapshot) => boolean,
  limit = 3000,
): Promise<void> {
  for (let elapsed = 0; elapsed <= limit; elapsed += 5) {
    if (predicate(peer.snapshot())) return;
    await call.advance(5);
  }
  throw new Error(
    `peer ${peer.name} never reached the awaited state; at ${JSON.stringify(peer.snapshot().value)}`,
  );
}

const inSignaling = (state: string) => (s: PeerSnapshot) =>
  s.matches({ active: { signaling: state } } as never);
const inConnection = (state: string) => (s: PeerSnapshot) =>
  s.matches({ active: { connection: state } } as never);

async function connected(call: ModelCall): Promise<void> {
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  expect(await call.settle()).toBe(true);
  expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
}

function isAnswer(message: SignalingMessage): boolean {
  return message.type === 'description' && message.description.type === 'answer';
}

function addTrack(kind: 'audio' | 'video') {
  const track = createFakeTrack(kind);
  return { type: 'ADD_TRACK', track, streams: [createFakeStream([track])] } as const;
}

/** Media devices whose `getUserMedia` answers `ms` later (fake time). */
function delayed(devices: Pick<MediaDevices, 'getUserMedia'>, ms: number) {
  return {
    getUserMedia: async (constraints?: MediaStreamConstraints) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return devices.getUserMedia(constraints);
    },
  };
}

function codes(peer: ModelPeer): string[] {
  return peer.errors.map((e) => e.code);
}

describe('model-based paths over peerMachine', () => {
  it('a whole call: media, tracks, channels, data, remote hang-up, commands after close', async () => {
    await path(
      {},
      [
        'ADD_TRACK',
        'peer.trackAdded',
        'pc.track',
        'pc.trackChanged',
        'REPLACE_TRACK',
        'peer.trackReplaced',
        'REMOVE_TRACK',
        'peer.trackRemoved',
        'START_MEDIA',
        'peer.mediaReady',
        'SEND_DATA',
        'pc.dataChannelMessage',
        '[isBye] → closed',
      ],
      async (call) => {
        await connected(call);
        const mic = createFakeTrack('audio');
        call.b.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
        expect(await call.settle()).toBe(true);
        expect(receivedKinds(call.a)).toEqual(['audio']);
        const data: unknown[] = [];
        call.b.actor.on('data', ({ data: d }) => data.push(d));
        call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'hello' });
        call.b.actor.send({
          type: 'REPLACE_TRACK',
          track: mic,
          withTrack: createFakeTrack('audio'),
        });
        await call.advance(20);
        expect(data).toEqual(['hello']);
        const replaced = call.b.snapshot().context.localTracks[0]?.track;
        expect(replaced).not.toBe(mic);
        if (!replaced) throw new Error('no local track');
        call.b.actor.send({ type: 'REMOVE_TRACK', track: replaced });
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
        expect(await call.settle()).toBe(true);
        expect(receivedKinds(call.a)).toEqual([]);
        expect(receivedKinds(call.b)).toEqual(['audio']);
        expect(sentKinds(call.a)).toEqual(['audio']);
        expect(openChannels(call.a, 'local')).toEqual(openChannels(call.b, 'remote'));
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
        call.a.actor.send({ type: 'CLOSE', reason: 'done' });
        await until(call, call.b, (s) => s.matches('closed'));
        expect(call.b.snapshot().context.closeReason).toBe('remote');
        // closed is final: the actor is done, and createPeer's layer answers what comes later.
        expect(call.b.snapshot().status).toBe('done');
        call.b.actor.send({ type: 'RESTART_ICE' });
        expect(codes(call.b)).toEqual(['PEER_CLOSED']);
      },
    );
  });

  it('ADD_TRANSCEIVER: receive-only, then with a track; both renegotiate', async () => {
    await path({}, ['peer.active | ADD_TRANSCEIVER'], async (call) => {
      await connected(call);
      call.a.actor.send({
        type: 'ADD_TRANSCEIVER',
        trackOrKind: 'video',
        init: { direction: 'recvonly' },
      });
      expect(await call.settle()).toBe(true);
      expect(sentKinds(call.a)).toEqual([]);
      const cam = createFakeTrack('video');
      call.b.actor.send({
        type: 'ADD_TRANSCEIVER',
        trackOrKind: cam,
        init: { direction: 'sendonly', streams: [createFakeStream([cam])] },
      });
      expect(await call.settle()).toBe(true);
      expect(sentKinds(call.b)).toEqual(['video']);
      expect(receivedKinds(call.a)).toEqual(['video']);
      expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
    });
  });

  it('only the polite peer sends at start: its first offer waits out firstOfferHold, then goes', async () => {
    await path(
      {},
      ['holdingFirstOffer | after(firstOfferHold) #0 [stateIn] → pending'],
      async (call) => {
        call.b.actor.send(addTrack('video'));
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(sentKinds(call.b)).toEqual(['video']);
        expect(receivedKinds(call.a)).toEqual(['video']);
        expect(call.b.actor.getSnapshot().context.counters.offersSent).toBe(1);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('media controls: mute (soft, hard, recaptured), device switch, screen share, sender settings', async () => {
    const devices = Object.assign(createFakeMediaDevices(), {
      getDisplayMedia: async () => createFakeStream([createFakeTrack('video')]),
    });
    const scope = {
      RTCRtpReceiver: {
        getCapabilities: (kind: string) => ({ codecs: [{ mimeType: `${kind}/x`, clockRate: 1 }] }),
      },
    };
    await path(
      { a: { mediaDevices: devices, scope, mediaControls } },
      [
        'peer.active | SET_MUTED',
        'peer.active | signal.message #5 [guard]',
        'peer.active | peer.trackRecaptured',
        'peer.active | SWITCH_DEVICE',
        'peer.active | START_SCREEN_SHARE',
        'peer.active | STOP_SCREEN_SHARE',
        'peer.active | peer.screenShareEnded',
        'peer.active | SET_SENDER_PARAMETERS',
        'peer.active | SET_CODEC_PREFERENCES',
      ],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
        expect(await call.settle()).toBe(true);
        call.a.actor.send({ type: 'SET_MUTED', kind: 'video', muted: true });
        call.a.actor.send({ type: 'SET_MUTED', kind: 'audio', muted: true, mode: 'hard' });
        expect(await call.settle()).toBe(true);
        const mutedByA = call.b.snapshot().context.remoteTracks.filter((t) => t.mutedByPeer);
        expect(mutedByA).toHaveLength(2);
        call.a.actor.send({ type: 'SET_MUTED', muted: false });
        call.a.actor.send({ type: 'SWITCH_DEVICE', kind: 'video', deviceId: 'other' });
        call.a.actor.send({ type: 'START_SCREEN_SHARE', replace: true });
        expect(await call.settle()).toBe(true);
        call.a.actor.send({ type: 'STOP_SCREEN_SHARE' });
        call.a.actor.send({
          type: 'SET_SENDER_PARAMETERS',
          kind: 'video',
          parameters: { maxBitrate: 300_000 },
        });
        call.a.actor.send({ type: 'SET_CODEC_PREFERENCES', kind: 'video', mimeTypes: ['video/x'] });
        expect(await call.settle()).toBe(true);
        expect(call.b.snapshot().context.remoteTracks.some((t) => t.mutedByPeer)).toBe(false);
        expect(sentKinds(call.a).sort()).toEqual(['audio', 'video']);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('media controls while rebuilding: a capture and a screen share end land in the intent', async () => {
    const screen = createFakeTrack('video');
    const devices = Object.assign(delayed(createFakeMediaDevices(), 50), {
      getDisplayMedia: async () => createFakeStream([screen]),
    });
    const lateRebuild: DeliveryPlan = (m) => (m.type === 'rebuild' ? [200] : [1]);
    await path(
      { a: { mediaDevices: devices, mediaControls }, planB: lateRebuild },
      ['peer.rebuilding | peer.trackRecaptured', 'peer.rebuilding | peer.screenShareEnded'],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
        call.a.actor.send({ type: 'START_SCREEN_SHARE' });
        expect(await call.settle()).toBe(true);
        call.a.actor.send({ type: 'SET_MUTED', kind: 'audio', muted: true, mode: 'hard' });
        expect(await call.settle()).toBe(true);
        call.a.actor.send({ type: 'SET_MUTED', kind: 'audio', muted: false });
        call.a.pc().failDtls();
        await until(call, call.a, (s) => s.matches('rebuilding'));
        screen.dispatchEvent(new Event('ended'));
        await until(call, call.a, (s) => s.matches('active'));
        expect(await call.settle(3000)).toBe(true);
        const a = call.a.snapshot().context;
        expect(a.intent.transceivers.map((e) => [e.kind, e.muted])).toEqual([['audio', false]]);
        expect(a.localTracks.map((t) => t.sender.track?.readyState)).toEqual(['live']);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('autoStart: false waits in idle for START; CLOSE in idle closes without a connection', async () => {
    await path(
      { a: { autoStart: false }, b: { autoStart: false } },
      ['peer.idle | START', 'peer.idle | CLOSE'],
      async (call) => {
        await call.advance(10);
        expect(call.a.snapshot().value).toBe('idle');
        call.a.actor.send({ type: 'START' });
        call.b.actor.send({ type: 'CLOSE' });
        await call.advance(10);
        expect(call.a.snapshot().matches('active')).toBe(true);
        expect(call.b.snapshot().value).toBe('closed');
        expect(call.b.created).toEqual([]);
      },
    );
  });

  it('commands sent in idle and while starting wait for the connection, in order; START while active settles', async () => {
    let early: (() => void) | null = null;
    await path(
      {
        a: { autoStart: false },
        factoryA: (configuration) => {
          // Re-entrant, as an app listening to the actor may be: a command while starting.
          early?.();
          return new FakePeerConnection(configuration);
        },
      },
      ['peer.idle | * [isCommand]', 'peer.starting | * [isCommand]', 'peer.active | START'],
      async (call) => {
        const settled: (string | null)[] = [];
        call.a.actor.on('settled', (event) => settled.push(event.id));
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'one', id: 'idle' });
        early = () =>
          call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'two', id: 'starting' });
        call.a.actor.send({ type: 'START', id: 'start' });
        early = null;
        await call.advance(10);
        const labels = call.a.snapshot().context.dataChannels.map((channel) => channel.label);
        expect(labels).toEqual(['one', 'two']);
        call.a.actor.send({ type: 'START', id: 'again' });
        expect(settled).toEqual(['start', 'idle', 'starting', 'again']);
      },
    );
  });

  it('a peer connection that cannot be created: failed (final), commands refused, CLOSE settles', async () => {
    await path(
      {
        factoryA: () => {
          throw new TypeError('bad iceServers');
        },
      },
      ['peer.starting | peer.error'],
      async (call) => {
        await call.advance(10);
        expect(call.a.snapshot().value).toBe('failed');
        expect(call.a.snapshot().status).toBe('done');
        expect(codes(call.a)).toEqual(['PEER_CONNECTION_FAILED']);
        const settled: [string | null, boolean][] = [];
        call.a.actor.on('settled', ({ id, ok }) => settled.push([id, ok]));
        call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio'), id: 'add' });
        expect(codes(call.a)).toEqual(['PEER_CONNECTION_FAILED', 'PEER_CLOSED']);
        call.a.actor.send({ type: 'CLOSE', id: 'close' });
        expect(call.a.snapshot().value).toBe('failed');
        expect(settled).toEqual([
          ['add', false],
          ['close', true],
        ]);
      },
    );
  });

  it('media that arrives after failed or closed is stopped at once', async () => {
    const devices = createFakeMediaDevices();
    const slow = delayed(devices, 2000);
    // b's bye is lost, so a finds out through ICE alone.
    const noBye: DeliveryPlan = (m) => (m.type === 'bye' ? [] : [1]);
    await path(
      { a: { mediaDevices: slow }, b: { mediaDevices: slow }, planB: noBye },
      ['START_MEDIA', 'CLOSE → closed', '→ failed'],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
        call.b.actor.send({ type: 'START_MEDIA', constraints: { video: true } });
        call.b.actor.send({ type: 'CLOSE' });
        call.network.fail();
        await until(call, call.a, (s) => s.matches('failed'));
        // ICE restarts ran out, and the rebuild that followed found no remote to join it.
        expect(codes(call.a)).toEqual(['REBUILD_FAILED']);
        await call.advance(2100);
        expect(devices.tracks.map((t) => t.readyState)).toEqual(['ended', 'ended']);
      },
    );
  });

  it('malformed signaling and a failed command are reported and change nothing', async () => {
    await path({}, ['signal.invalid', 'peer.active | peer.error'], async (call) => {
      await connected(call);
      call.b.out.inject({ v: 2, type: 'description' });
      call.a.actor.send({ type: 'SEND_DATA', label: 'nope', data: 'x' });
      await call.advance(10);
      expect(codes(call.a)).toEqual(['DATA_CHANNEL_FAILED', 'INVALID_SIGNALING_MESSAGE']);
      expect(isConnected(call.a)).toBe(true);
    });
  });

  it('candidates that overtake their description are buffered, then applied', async () => {
    // Descriptions take 30 ms, candidates 1 ms, on an unordered wire.
    const plan: DeliveryPlan = (m) => [m.type === 'description' ? 30 : 1];
    await path(
      { planA: plan, planB: plan, ordered: false },
      [
        'signaling.stable | always #0 [nextIsEarlyCandidate]',
        'signaling.haveLocalOffer | always #0 [nextIsEarlyCandidate]',
      ],
      async (call) => {
        await connected(call);
        const b = call.b.snapshot().context.counters;
        expect(b.candidatesBuffered).toBeGreaterThan(0);
        expect(b.candidatesApplied).toBe(b.candidatesReceived);
        expect(call.a.snapshot().context.counters.candidatesBuffered).toBeGreaterThan(0);
      },
    );
  });

  it('glare: the impolite peer ignores the colliding offer, the polite one rolls back', async () => {
    await path(
      {},
      [
        'haveLocalOffer | always #5 [and]',
        'haveLocalOffer | always #6 [nextIsOffer] → settingRemoteDescription',
        'haveLocalOffer | always #1 [nextIsStaleCandidate]',
      ],
      async (call) => {
        await connected(call);
        call.a.actor.send(addTrack('video'));
        // An ICE restart in the colliding offer brings candidates of the ignored offer.
        call.b.actor.send({ type: 'RESTART_ICE' });
        call.b.actor.send(addTrack('audio'));
        expect(await call.settle()).toBe(true);
        expect(call.a.snapshot().context.counters.offersIgnored).toBeGreaterThanOrEqual(1);
        expect(call.b.snapshot().context.counters.rollbacks).toBeGreaterThanOrEqual(1);
        // The ignored offer's ICE generation is past: its candidates are dropped, not applied.
        const a = call.a.snapshot().context;
        expect(a.pastRemoteUfrags.length).toBeGreaterThanOrEqual(1);
        expect(a.counters.candidatesApplied + a.counters.candidatesDiscarded).toBe(
          a.counters.candidatesReceived,
        );
        expect(receivedKinds(call.a)).toEqual(['audio']);
        expect(receivedKinds(call.b)).toEqual(['video']);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  // actors/negotiation.ts `yieldBehindOwnOffer`: a description takes 2 ms at a, 10 ms at b, the
  // wire 1 ms: a's offer reaches b while b's own is being set. b applies it at once (the engine chains
  // it behind b's offer and rolls that back) and still sends its offer, which a ignores.
  for (const fault of [null, 'offerApplied'] as const) {
    it(`glare while the polite peer sets its offer${fault ? ', which then fails' : ''}: the remote offer is chained behind it`, async () => {
      await path(
        { fakeA: { descriptionMs: 2 }, fakeB: { descriptionMs: 10 } },
        [
          'makingOffer | always [canAnswerBehindOwnOffer] → settingRemoteDescription',
          // One transition for both: it sends the offer made behind, or reports its failure.
          'signaling | pc.offerBehind',
        ],
        async (call) => {
          await connected(call);
          if (fault) call.b.faults[fault] = 1;
          call.a.actor.send(addTrack('video'));
          call.b.actor.send(addTrack('audio'));
          expect(await call.settle()).toBe(true);
          const a = call.a.snapshot().context.counters;
          const b = call.b.snapshot().context.counters;
          // A rollback counts for an offer whose step succeeded (the fault's offer is applied, but
          // the engine says it failed). b's offer goes out only then; a ignores it.
          expect(b.rollbacks).toBe(fault ? 0 : 1);
          expect(a.offersIgnored).toBe(fault ? 0 : 1);
          expect(call.b.errors.map((e) => e.code)).toEqual(fault ? ['NEGOTIATION_FAILED'] : []);
          expect(receivedKinds(call.a)).toEqual(['audio']);
          expect(receivedKinds(call.b)).toEqual(['video']);
          expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        },
      );
    });
  }

  // negotiation/answerOnOfferedMlines.ts: b's answer moves its track onto a's m-line; the offer
  // for the spare left behind waits for the media that answer carried. The fake unmutes b's new
  // remote track at once; here it unmutes when the path says the media arrives.
  for (const [ending, end] of [
    ['always', 'the media arrives'],
    ['after(', 'no media within FOLLOW_UP_HOLD_MS'],
    ['pc.negotiationNeeded', 'another change asks for an offer'],
  ] as const) {
    it(`glare, both add audio: the polite peer's offer for its spare waits until ${end}`, async () => {
      const scope = {
        RTCRtpReceiver: {
          getCapabilities: (kind: string) => ({
            codecs: [{ mimeType: `${kind}/x`, clockRate: 1 }],
          }),
        },
      };
      await path(
        { b: { scope, mediaControls } },
        [
          'idle | pc.negotiationNeeded #0 [followUpHeld] → holdingFollowUp',
          `holdingFollowUp | ${ending}`,
        ],
        async (call) => {
          await connected(call);
          let arrives = () => {};
          call.b.pc().addEventListener(
            'track',
            (event) => {
              const track = (event as RTCTrackEvent).track as FakeMediaStreamTrack;
              arrives = track.simulateUnmute.bind(track);
              track.simulateUnmute = () => {};
            },
            { once: true },
          );
          call.a.actor.send(addTrack('audio'));
          call.b.actor.send(addTrack('audio'));
          await until(call, call.b, (s) =>
            s.matches({ active: { renegotiation: 'holdingFollowUp' } }),
          );
          if (ending === 'always') arrives();
          if (ending === 'pc.negotiationNeeded')
            call.b.actor.send({
              type: 'SET_CODEC_PREFERENCES',
              kind: 'video',
              mimeTypes: ['video/x'],
            });
          expect(await call.settle()).toBe(true);
          expect(receivedKinds(call.a)).toEqual(['audio']);
          expect(receivedKinds(call.b)).toEqual(['audio']);
          // One m-line per track, and the spare's: every transceiver negotiated.
          expect(
            call.b
              .pc()
              .getTransceivers()
              .map((t) => t.mid === null),
          ).toEqual([false, false]);
          expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        },
      );
    });
  }

  // machine/data/outbox.ts: SEND_DATA waits for a channel on its way, at most OUTBOX_TIMEOUT_MS.
  it('SEND_DATA to a channel that never opens fails after OUTBOX_TIMEOUT_MS, while connected', async () => {
    await path({}, ['peer.active | peer.outboxExpired'], async (call) => {
      await connected(call);
      // An SCTP stream that never opens (the fake's channel, its open withheld).
      const pc = call.a.pc();
      const create = pc.createDataChannel.bind(pc);
      pc.createDataChannel = (label, init) => {
        const channel = create(label, init);
        (channel as FakeDataChannel).driveOpen = () => {};
        return channel;
      };
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'solo' });
      call.a.actor.send({ type: 'SEND_DATA', label: 'solo', data: 'x' });
      await call.advance(OUTBOX_TIMEOUT_MS + 10);
      expect(call.a.errors.map((e) => (e as QueuedSendError).reason)).toEqual(['not-opened']);
      expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
    });
  });

  it('SEND_DATA during a rebuild the remote does not hear of fails after OUTBOX_TIMEOUT_MS', async () => {
    const dropRebuild: DeliveryPlan = (m) => (m.type === 'rebuild' || m.type === 'bye' ? [] : [1]);
    const slow = { rebuild: { maxAttempts: 1, timeout: OUTBOX_TIMEOUT_MS + 1000 } };
    await path(
      { a: slow, b: slow, planA: dropRebuild, planB: dropRebuild },
      ['peer.rebuilding | peer.outboxExpired'],
      async (call) => {
        await connected(call);
        call.a.pc().failDtls();
        await until(call, call.a, (s) => s.matches('rebuilding'));
        call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'x' });
        await call.advance(OUTBOX_TIMEOUT_MS + 10);
        expect(call.a.errors.map((e) => (e as QueuedSendError).reason)).toEqual(['not-opened']);
        expect(call.a.snapshot().matches('rebuilding')).toBe(true);
      },
    );
  });

  it('a duplicated answer is recognised and dropped; a different answer while stable is refused', async () => {
    const plan: DeliveryPlan = (m) => (isAnswer(m) ? [1, 5] : [1]);
    await path(
      { planB: plan },
      [
        'stable | always #3 [nextIsRepeatedAnswer]',
        'stable | always #6 [nextIsAnswerToOwnOffer]',
        'stable | always #7 [nextIsAnswer]',
      ],
      async (call) => {
        await connected(call);
        expect(codes(call.a)).toEqual([]);
        expect(call.a.snapshot().context.counters.duplicatesIgnored).toBe(1);
        // Another answer to our offer, while none is pending: late, dropped and counted.
        const answer = call.b.out.sent.find(isAnswer);
        if (answer?.type !== 'description') throw new Error('no answer');
        const other = answer.description.sdp.replace(/^o=(\S+) (\S+) (\d+)/m, 'o=$1 $2 99');
        expect(other).not.toBe(answer.description.sdp);
        const late = { ...answer, id: 'late', description: { ...answer.description, sdp: other } };
        call.b.out.inject(late);
        await call.advance(10);
        expect(codes(call.a)).toEqual([]);
        expect(call.a.snapshot().context.counters.staleAnswers).toBe(1);
        // An answer to an offer a never made: a description in the wrong state.
        call.b.out.inject({ ...late, id: 'stray', inReplyTo: 'nobody:0:0' });
        await call.advance(10);
        expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(codes(call.b)).toEqual([]);
      },
    );
  });

  it('a duplicated offer is answered again (stable); a replayed old offer is dropped (haveLocalOffer)', async () => {
    // a's offers arrive twice; a's answers are slow, so that b's own offer stays pending.
    const planA: DeliveryPlan = (m) =>
      m.type === 'description' ? (isAnswer(m) ? [40] : [1, 5]) : [1];
    await path(
      { planA },
      [
        'stable | always #4 [nextIsRepeatedOffer]',
        'haveLocalOffer | always #4 [nextIsRepeatedOffer]',
      ],
      async (call) => {
        await connected(call);
        const b = call.b.snapshot().context;
        expect(b.counters.duplicatesIgnored).toBe(1);
        expect(b.counters.answersSent).toBe(1);
        // b sent its answer again: its pc.localDescription, which by now carries the gathered
        // candidates, so it is not a byte copy of the first answer (see the report: a repeat
        // that arrives while stable is refused as unexpected, harmlessly).
        expect(call.b.out.sent.filter(isAnswer)).toHaveLength(2);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        const offer = call.a.out.sent.find(
          (m) => m.type === 'description' && m.description.type === 'offer',
        );
        if (!offer) throw new Error('no offer');
        // b offers; while its offer waits for the (slow) answer, a's last offer arrives again.
        call.b.actor.send(addTrack('audio'));
        await until(call, call.b, inSignaling('haveLocalOffer'));
        call.a.out.inject(JSON.parse(JSON.stringify(offer)));
        await call.advance(5);
        expect(call.b.snapshot().context.counters.duplicatesIgnored).toBe(2);
        expect(inSignaling('haveLocalOffer')(call.b.snapshot())).toBe(true);
        expect(await call.settle()).toBe(true);
        expect(receivedKinds(call.a)).toEqual(['audio']);
        expect(codes(call.b)).toEqual([]);
      },
    );
  });

  it('a copy of the last answer arriving while a newer offer is pending is dropped', async () => {
    const plan: DeliveryPlan = (m) => [isAnswer(m) ? 30 : 1];
    await path(
      { planB: plan },
      ['haveLocalOffer | always #3 [nextIsRepeatedAnswer]'],
      async (call) => {
        await connected(call);
        const first = call.b.out.sent.find(isAnswer);
        if (first?.type !== 'description') throw new Error('no answer');
        const mic = createFakeTrack('audio');
        call.a.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
        await until(call, call.a, () => call.a.pc().signalingState === 'have-local-offer');
        call.b.out.inject(JSON.parse(JSON.stringify(first)));
        expect(await call.settle()).toBe(true);
        expect(call.a.snapshot().context.counters.duplicatesIgnored).toBe(1);
        expect(codes(call.a)).toEqual([]);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  it('a pranswer keeps the offer pending until the final answer', async () => {
    const plan: DeliveryPlan = (m) => [isAnswer(m) ? 40 : 1];
    await path(
      { planB: plan },
      ['done(settingRemoteDescription) #1 [pcInHaveLocalOffer] → haveLocalOffer'],
      async (call) => {
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.b, () => call.b.out.sent.some(isAnswer));
        const answer = call.b.out.sent.find(isAnswer);
        if (answer?.type !== 'description') throw new Error('no answer');
        call.b.out.inject({ ...answer, description: { ...answer.description, type: 'pranswer' } });
        await until(call, call.a, () => call.a.pc().signalingState === 'have-remote-pranswer');
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(codes(call.a)).toEqual([]);
      },
    );
  });

  // Formerly bug 3: a lost answer made the offerer roll back an offer the remote had applied.
  it('a lost answer: the same offer is sent again after answerTimeout, and answered again', async () => {
    let dropped = false;
    const plan: DeliveryPlan = (m) => {
      if (!dropped && isAnswer(m)) {
        dropped = true;
        return [];
      }
      return [1];
    };
    await path(
      { planB: plan },
      ['awaitingAnswer | after(answerTimeout) #0 [canResendOffer] → awaitingAnswer'],
      async (call) => {
        await connected(call);
        const a = call.a.snapshot().context;
        expect(a.counters.offersSent).toBe(1);
        expect(a.counters.rollbacks).toBe(0);
        const offers = call.a.out.sent.filter(
          (m) => m.type === 'description' && m.description.type === 'offer',
        );
        expect(offers).toHaveLength(2);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('every copy of an offer is lost: NEGOTIATION_TIMEOUT, then resent until answered (never rolled back)', async () => {
    // The first offer never reaches b (nor its resends): nothing was applied on b's side.
    let lost = 0;
    const plan: DeliveryPlan = (m) => {
      if (m.type === 'description' && lost < 3) {
        lost += 1;
        return [];
      }
      return [1];
    };
    await path(
      { planA: plan },
      [
        'awaitingAnswer | after(answerTimeout) #0 [canResendOffer]',
        'awaitingAnswer | after(answerTimeout) #1 → unanswered',
        'unanswered | after(answerTimeout) → unanswered',
      ],
      async (call) => {
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        // The offer, resends after 1 and 2 answerTimeouts, the timeout 4 later, a resend 8 later.
        expect(await call.settle(20_000)).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        const a = call.a.snapshot().context;
        expect(a.counters.offersSent).toBe(1);
        expect(a.counters.rollbacks).toBe(0);
        expect([...codes(call.a), ...codes(call.b)]).toEqual(['NEGOTIATION_TIMEOUT']);
      },
    );
  });

  it('an answer the engine refuses: rolled back to stable, offered again', async () => {
    await path({}, ['error(settingRemoteDescription) #1 [pcInHaveLocalOffer]'], async (call) => {
      call.a.faults.remote = 1;
      await connected(call);
      expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
    });
  });

  it('an offer the engine refuses in stable: error, stable; the offerer times out and retries', async () => {
    await path({}, ['error(settingRemoteDescription) #3 → stable'], async (call) => {
      call.b.faults.remote = 1;
      await connected(call);
      expect(codes(call.b)).toEqual(['NEGOTIATION_FAILED']);
    });
  });

  // With rebuilds (the default) a failed rollback that leaves the engine outside stable rebuilds
  // the connection (below); without them the machine carries on from there.
  const noRebuild = { a: { rebuild: { maxAttempts: 0 } }, b: { rebuild: { maxAttempts: 0 } } };

  it('answer creation fails, then the rollback fails, then the next offer is refused (no rebuilds)', async () => {
    await path(
      noRebuild,
      [
        'error(answering) → rollingBack',
        'error(rollingBack) #2 → stable',
        'error(settingRemoteDescription) #2 [pcInHaveRemoteOffer]',
      ],
      async (call) => {
        call.b.faults.answer = 1;
        call.b.faults.rollback = 1;
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.b, () => call.b.faults.rollback === 0);
        await until(call, call.b, inSignaling('stable'));
        expect(call.b.pc().signalingState).toBe('have-remote-offer');
        call.b.faults.remote = 1;
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(codes(call.b)).toEqual([
          'NEGOTIATION_FAILED',
          'NEGOTIATION_FAILED',
          'NEGOTIATION_FAILED',
        ]);
      },
    );
  });

  it('making an offer fails: retried after offerRetryDelay', async () => {
    await path(
      {},
      [
        'error(makingOffer) #1 → stable',
        'idle | peer.offerFailed',
        'retrying | after(offerRetryDelay)',
      ],
      async (call) => {
        call.a.faults.offer = 1;
        await connected(call);
        expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
      },
    );
  });

  it('making an offer fails, and the remote offer in between re-fires negotiationneeded', async () => {
    await path({}, ['retrying | pc.negotiationNeeded'], async (call) => {
      await connected(call);
      call.a.faults.offer = 1;
      call.a.actor.send(addTrack('audio'));
      await until(call, call.a, (s) => s.matches({ active: { renegotiation: 'retrying' } }));
      call.b.actor.send(addTrack('video'));
      expect(await call.settle()).toBe(true);
      expect(receivedKinds(call.a)).toEqual(['video']);
      expect(receivedKinds(call.b)).toEqual(['audio']);
    });
  });

  it('a rollback the engine refuses leaves it stuck outside stable: both peers rebuild', async () => {
    await path({}, ['error(rollingBack) #0 [and]', 'peer.rebuildNeeded'], async (call) => {
      const rebuilding: unknown[] = [];
      call.b.actor.on('rebuilding', (event) => rebuilding.push(event));
      call.b.faults.answer = 1;
      call.b.faults.rollback = 1;
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await until(call, call.b, (s) => s.context.epoch === 1);
      expect(await call.settle()).toBe(true);
      expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      expect(rebuilding).toEqual([{ type: 'rebuilding', reason: 'negotiation-stuck', epoch: 1 }]);
      expect(codes(call.b)).toEqual(['NEGOTIATION_FAILED', 'NEGOTIATION_FAILED']);
      expect(openChannels(call.b, 'remote')).toEqual(['chat']);
    });
  });

  it('a refused answer, then the rollback fails: our offer stays pending and is answered again (no rebuilds)', async () => {
    await path(
      noRebuild,
      [
        'error(settingRemoteDescription) #1 [pcInHaveLocalOffer]',
        'error(rollingBack) #1 [pcInHaveLocalOffer] → haveLocalOffer',
      ],
      async (call) => {
        call.a.faults.remote = 1;
        call.a.faults.rollback = 1;
        expect(await call.settle(20_000)).toBe(true);
        await connected(call);
        expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED', 'NEGOTIATION_FAILED']);
        expect(call.a.snapshot().context.counters.offersSent).toBe(1);
      },
    );
  });

  it('an offer the engine applies and then reports failed: haveLocalOffer, answered', async () => {
    await path(
      {},
      ['error(makingOffer) #0 [pcInHaveLocalOffer] → haveLocalOffer'],
      async (call) => {
        call.a.faults.offerApplied = 1;
        await connected(call);
        expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
      },
    );
  });

  it('an offer refused for m-lines out of negotiated order: both peers rebuild (negotiation-stuck)', async () => {
    await path({}, ['error(settingRemoteDescription) #0 [and]'], async (call) => {
      const rebuilding: unknown[] = [];
      call.b.actor.on('rebuilding', (event) => rebuilding.push(event));
      call.b.faults.desync = 1;
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await until(call, call.b, (s) => s.context.epoch === 1);
      expect(await call.settle(20_000)).toBe(true);
      expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      expect(rebuilding).toEqual([{ type: 'rebuilding', reason: 'negotiation-stuck', epoch: 1 }]);
      expect(codes(call.b)).toEqual(['NEGOTIATION_FAILED']);
    });
  });

  it('a rebuild epoch more than one ahead is refused, while active and while awaiting the remote', async () => {
    await path(
      {},
      [
        'peer.active | signal.message #1 [isRebuildOutOfReach]',
        'awaitingRemote | signal.message #1 [isRebuildOutOfReach]',
      ],
      async (call) => {
        await connected(call);
        call.b.out.inject({ v: 2, type: 'rebuild', epoch: Number.MAX_SAFE_INTEGER });
        await call.advance(10);
        expect(codes(call.a)).toEqual(['INVALID_SIGNALING_MESSAGE']);
        expect(call.a.snapshot().context.epoch).toBe(0);
        // a rebuilds to epoch 1; its request is lost, so it waits for b.
        call.a.out.setPlan(() => []);
        call.a.pc().failDtls();
        await until(call, call.a, (s) => s.matches('rebuilding'));
        call.b.out.inject({ v: 2, type: 'rebuild', epoch: 3 });
        await call.advance(10);
        expect(codes(call.a)).toEqual(['INVALID_SIGNALING_MESSAGE', 'INVALID_SIGNALING_MESSAGE']);
        expect(call.a.snapshot().context.epoch).toBe(1);
        call.a.actor.send({ type: 'CLOSE' });
      },
    );
  });

  it('a candidate that arrives while the answer is being made is applied at once, not queued behind it', async () => {
    // a's candidates take 5 ms on the wire, its offer 1 ms; b's engine takes 20 ms over its
    // answer: the candidates arrive meanwhile.
    const planA: DeliveryPlan = (m) => [m.type === 'candidate' ? 5 : 1];
    await path({ planA }, ['peer.active | signal.message #6 [and] → ∅'], async (call) => {
      const pc = call.b.pc();
      const setLocal = pc.setLocalDescription.bind(pc);
      let answering = false;
      pc.setLocalDescription = (description) => {
        if (pc.signalingState !== 'have-remote-offer') return setLocal(description);
        answering = true;
        return new Promise((resolve) => setTimeout(resolve, 20))
          .then(() => setLocal(description))
          .finally(() => {
            answering = false;
          });
      };
      let appliedWhileAnswering = 0;
      call.b.actor.subscribe((s) => {
        if (answering && s.matches({ active: { signaling: 'answering' } }))
          appliedWhileAnswering = s.context.counters.candidatesApplied;
      });
      await connected(call);
      expect(appliedWhileAnswering).toBeGreaterThan(0);
      const b = call.b.snapshot().context.counters;
      expect(b.candidatesBuffered).toBe(0);
      expect(b.candidatesApplied).toBe(b.candidatesReceived);
      expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
    });
  });

  it('candidates of a past ICE generation are dropped; of an unknown one, kept one description long', async () => {
    await path(
      {},
      ['stable | always #1 [nextIsStaleCandidate]', 'stable | always #0 [nextIsEarlyCandidate]'],
      async (call) => {
        await connected(call);
        const old = call.b.out.sent.find((m) => m.type === 'candidate' && m.candidate !== null);
        if (old?.type !== 'candidate' || !old.candidate) throw new Error('no candidate');
        call.b.actor.send({ type: 'RESTART_ICE' });
        expect(await call.settle()).toBe(true);
        const before = call.a.snapshot().context.counters;
        // An old candidate, late: its ufrag is past.
        call.b.out.inject(JSON.parse(JSON.stringify(old)));
        await call.advance(10);
        let a = call.a.snapshot().context;
        expect(a.counters.candidatesDiscarded).toBe(before.candidatesDiscarded + 1);
        expect(a.counters.candidatesApplied).toBe(before.candidatesApplied);
        // A candidate of a generation no description announced yet: buffered…
        const future = {
          ...old,
          ufrag: 'zzzz',
          candidate: { ...old.candidate, usernameFragment: 'zzzz' },
        };
        call.b.out.inject(future);
        await call.advance(10);
        a = call.a.snapshot().context;
        expect(a.bufferedCandidates).toHaveLength(1);
        // …through one more description (it may have overtaken it)…
        call.a.actor.send(addTrack('audio'));
        expect(await call.settle()).toBe(true);
        expect(call.a.snapshot().context.bufferedCandidates).toHaveLength(1);
        // …but not two: it belonged to a description that never came.
        call.a.actor.send(addTrack('video'));
        expect(await call.settle()).toBe(true);
        a = call.a.snapshot().context;
        expect(a.bufferedCandidates).toEqual([]);
        expect(a.counters.candidatesDiscarded).toBe(before.candidatesDiscarded + 2);
        expect(a.counters.candidatesReceived).toBe(
          a.counters.candidatesApplied + a.counters.candidatesDiscarded,
        );
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('answers by id: while an offer is pending, only its answer applies; a current candidate applies', async () => {
    let hold = false;
    await path(
      { planB: (m) => (hold && isAnswer(m) ? [40] : [1]) },
      [
        'haveLocalOffer | always #7 [nextIsAnswerToOtherOffer]',
        'haveLocalOffer | always #2 [nextIsCandidate]',
        'haveLocalOffer | always #8 [nextIsAnswer] → settingRemoteDescription',
      ],
      async (call) => {
        await connected(call);
        const first = call.b.out.sent.find(isAnswer);
        // A first restart: the answer above is no longer the last applied (not a repeat).
        call.a.actor.send({ type: 'RESTART_ICE' });
        expect(await call.settle()).toBe(true);
        const current = call.b.out.sent.findLast((m) => m.type === 'candidate' && m.candidate);
        hold = true;
        call.a.actor.send({ type: 'RESTART_ICE' });
        await until(call, call.a, inSignaling('haveLocalOffer'));
        // The answer to the first offer, replayed, and a candidate of the generation in use.
        call.b.out.inject(JSON.parse(JSON.stringify(first)));
        call.b.out.inject(JSON.parse(JSON.stringify(current)));
        await call.advance(5);
        expect(call.a.snapshot().context.counters.staleAnswers).toBe(1);
        hold = false;
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('a candidate of an epoch the pair has left is dropped and counted', async () => {
    await path({}, ['peer.active | signal.message #4 [isFromPastEpoch]'], async (call) => {
      await connected(call);
      const old = call.b.out.sent.find((m) => m.type === 'candidate' && m.candidate !== null);
      call.a.pc().failDtls();
      await until(call, call.a, (s) => s.context.epoch === 1);
      expect(await call.settle(20_000)).toBe(true);
      expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      const before = call.a.snapshot().context.counters;
      call.b.out.inject(JSON.parse(JSON.stringify(old)));
      await call.advance(10);
      const after = call.a.snapshot().context.counters;
      expect(after.candidatesDiscarded).toBe(before.candidatesDiscarded + 1);
      expect(after.candidatesReceived).toBe(before.candidatesReceived + 1);
      expect(after.candidatesApplied).toBe(before.candidatesApplied);
      expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
    });
  });

  it('a candidate the engine refuses on purpose is counted as discarded, not reported', async () => {
    await path({}, ['peer.active | peer.candidateDiscarded'], async (call) => {
      await connected(call);
      const before = call.a.snapshot().context.counters.candidatesDiscarded;
      // End of candidates for an m-section the engine does not know.
      call.b.out.inject({
        v: 2,
        type: 'candidate',
        ufrag: null,
        epoch: 0,
        candidate: { candidate: '', sdpMid: 'nope', sdpMLineIndex: null, usernameFragment: null },
      });
      await call.advance(10);
      expect(call.a.snapshot().context.counters.candidatesDiscarded).toBe(before + 1);
      expect(codes(call.a)).toEqual([]);
    });
  });

  it('ICE: disconnected recovers by itself, then a grace-period restart recovers', async () => {
    await path(
      {},
      [
        '.connected | pc.statesChanged #3 [connectionBecomes] → disconnected',
        'disconnected | pc.statesChanged #2 [connectionBecomes] → connected',
        'after(disconnectedGracePeriod) → restartingIce',
        'restartingIce | pc.statesChanged #1 [connectionBecomes] → connected',
      ],
      async (call) => {
        await connected(call);
        call.network.down();
        await until(call, call.a, inConnection('disconnected'));
        call.network.up();
        await until(call, call.a, inConnection('connected'));
        call.network.down();
        await until(call, call.a, inConnection('restartingIce'));
        call.network.up({ recoverWithoutRestart: false });
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  it('ICE: failed restarts at once, retries with backoff, gives up: failed, bye to the remote', async () => {
    await path(
      { a: { rebuild: { maxAttempts: 0 } }, b: { rebuild: { maxAttempts: 0 } } },
      [
        '.disconnected | pc.statesChanged #0 [connectionBecomes] → restartingIce',
        'after(iceRestartTimeout) #0 [canRetryIceRestart]',
        'after(iceRestartTimeout) #2 → failed',
      ],
      async (call) => {
        await connected(call);
        call.network.fail();
        await until(call, call.a, (s) => s.matches('failed'));
        expect(call.a.snapshot().context.iceRestartAttempts).toBe(3);
        expect(codes(call.a)).toEqual(['ICE_RESTART_EXHAUSTED']);
        await until(call, call.b, (s) => s.matches('failed') || s.matches('closed'));
      },
    );
  });

  it('ICE: RESTART_ICE by hand while connected, restarting, disconnected', async () => {
    await path(
      {},
      [
        '.connected | RESTART_ICE',
        'restartingIce | RESTART_ICE',
        'disconnected | RESTART_ICE',
        'disconnected | pc.statesChanged #0 [connectionBecomes] → restartingIce',
      ],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'RESTART_ICE' });
        call.a.actor.send({ type: 'RESTART_ICE' });
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a)).toBe(true);
        call.network.down();
        await until(call, call.a, inConnection('disconnected'));
        call.a.actor.send({ type: 'RESTART_ICE' });
        await until(call, call.b, inConnection('disconnected'));
        call.network.fail();
        await until(call, call.b, inConnection('restartingIce'));
        call.network.up();
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  // Formerly bug 1: restartingIce left for `connected` on any report whose connection was
  // `connected`, i.e. on the signalingstatechange of its own restart offer. The guard now asks
  // for a *change* to `connected`, so a restart while connected ends with its negotiation.
  it('ICE: a manual restart while connected is not "recovered" before its answer arrives', async () => {
    // Slow answers, so a premature exit from restartingIce would be visible.
    const slowAnswer: DeliveryPlan = (m) => [isAnswer(m) ? 40 : 1];
    await path(
      { planB: slowAnswer },
      [
        'restartingIce | peer.negotiated [negotiatedWhileConnected] → connected',
        'restartingIce | pc.statesChanged #3 → ∅',
      ],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'RESTART_ICE' });
        await call.advance(20);
        // The restart offer's signalingstatechange (still `connected`) was stored, not taken.
        expect(inConnection('restartingIce')(call.a.snapshot())).toBe(true);
        expect(call.a.snapshot().context.pcStates.signaling).toBe('have-local-offer');
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a)).toBe(true);
        const { context } = call.a.snapshot();
        expect(context.lastIceRecoveryMs).toBeGreaterThanOrEqual(40);
        expect(context.iceRestartAttempts).toBe(0);
        expect(codes(call.a)).toEqual([]);
      },
    );
  });

  it('ICE: the remote restarts while we wait out our grace period: disconnected → connecting', async () => {
    await path(
      { latencyMs: 10 },
      [
        'disconnected | pc.statesChanged #1 [connectionBecomes] → connecting',
        'connecting | pc.statesChanged #1',
      ],
      async (call) => {
        await connected(call);
        call.network.down();
        await until(call, call.a, inConnection('disconnected'));
        call.network.up({ recoverWithoutRestart: false });
        call.b.actor.send({ type: 'RESTART_ICE' });
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  it('ICE: failing while connecting, RESTART_ICE while connecting and while new', async () => {
    await path(
      { latencyMs: 40 },
      ['new | RESTART_ICE', 'connecting | pc.statesChanged #0', 'connecting | RESTART_ICE'],
      async (call) => {
        call.a.actor.send({ type: 'RESTART_ICE' });
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.a, inConnection('connecting'), 3000);
        call.b.actor.send({ type: 'RESTART_ICE' });
        call.network.fail();
        await until(call, call.a, inConnection('restartingIce'));
        call.network.up();
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  // Unlinked engines: the connection state is whatever the engine reports, in any order a
  // browser may report it (a missed `connecting`, a consent-freshness drop, failing at once).
  function standaloneEngines(): {
    engines: FakePeerConnection[];
    factory: () => FakePeerConnection;
  } {
    const engines: FakePeerConnection[] = [];
    return {
      engines,
      factory: () => {
        const pc = new FakePeerConnection();
        engines.push(pc);
        return pc;
      },
    };
  }

  it('engine-reported jumps: new → connected → connecting → disconnected; new → disconnected', async () => {
    const { engines, factory } = standaloneEngines();
    await path(
      { factoryA: factory, factoryB: factory },
      [
        'new | pc.statesChanged #2 [connectionBecomes] → connected',
        'new | pc.statesChanged #3 [connectionBecomes] → disconnected',
        '.connected | pc.statesChanged #2 [connectionBecomes] → connecting',
        'connecting | pc.statesChanged #2 [connectionBecomes] → disconnected',
      ],
      async (call) => {
        await call.advance(5);
        const [a, b] = engines;
        if (!a || !b) throw new Error('no engines');
        a.setConnectionState('connected');
        b.setConnectionState('disconnected');
        await call.advance(5);
        expect(inConnection('connected')(call.a.snapshot())).toBe(true);
        expect(inConnection('disconnected')(call.b.snapshot())).toBe(true);
        a.setConnectionState('connecting');
        await call.advance(5);
        expect(inConnection('connecting')(call.a.snapshot())).toBe(true);
        a.setConnectionState('disconnected');
        await call.advance(5);
        expect(inConnection('disconnected')(call.a.snapshot())).toBe(true);
      },
    );
  });

  // Formerly bug 2: `context.pcStates` missed every report that moved the connection region
  // (XState v5 runs a parallel state's own handler only when no region takes the event); each
  // transition of the region now stores the states itself.
  it('pcStates follows every report, those that move the connection region included', async () => {
    const { engines, factory } = standaloneEngines();
    await path(
      { factoryA: factory, factoryB: factory },
      [
        'new | pc.statesChanged #2 [connectionBecomes] → connected',
        'connected | pc.statesChanged #5 → ∅',
      ],
      async (call) => {
        await call.advance(5);
        const [a] = engines;
        if (!a) throw new Error('no engine');
        a.setConnectionState('connected');
        await call.advance(5);
        expect(inConnection('connected')(call.a.snapshot())).toBe(true);
        expect(call.a.snapshot().context.pcStates.connection).toBe('connected');
        // A report that repeats `connected` (another state changed) is stored and moves nothing.
        a.setConnectionState('connected');
        a.dispatchEvent(new Event('iceconnectionstatechange'));
        await call.advance(5);
        expect(inConnection('connected')(call.a.snapshot())).toBe(true);
        a.setConnectionState('disconnected');
        await call.advance(5);
        expect(call.a.snapshot().context.pcStates.connection).toBe('disconnected');
      },
    );
  });

  it('engine-reported jumps: new → failed and connected → failed restart ICE at once', async () => {
    const { engines, factory } = standaloneEngines();
    await path(
      { factoryA: factory, factoryB: factory },
      [
        '.new | pc.statesChanged #0 [connectionBecomes] → restartingIce',
        '.connected | pc.statesChanged #1 [connectionBecomes] → restartingIce',
      ],
      async (call) => {
        await call.advance(5);
        engines[0]?.setConnectionState('failed');
        engines[1]?.setConnectionState('connected');
        await call.advance(5);
        engines[1]?.setConnectionState('failed');
        await call.advance(5);
        expect(inConnection('restartingIce')(call.a.snapshot())).toBe(true);
        expect(inConnection('restartingIce')(call.b.snapshot())).toBe(true);
        expect(call.a.snapshot().context.counters.iceRestarts).toBe(1);
      },
    );
  });

  afterAll(() => {
    // Printed so CI logs show the numbers; asserted in the test below.
    console.info(`[model] peerMachine: ${formatCoverage(covered.report(targets))}`);
  });

  it('rebuild: a DTLS transport dies under connected ICE; both peers rebuild and media, channels and data come back', async () => {
    await path(
      {},
      [
        'connected | pc.statesChanged #0 [transportFailed]',
        'peer.active | peer.rebuildNeeded → rebuilding',
        '[isRebuildAhead] → creating',
        '[joinsRebuild] → creating',
        'peer.created → active',
      ],
      async (call) => {
        const rebuilding: unknown[] = [];
        call.a.actor.on('rebuilding', (event) => rebuilding.push(event));
        const mic = addTrack('audio');
        call.a.actor.send(mic);
        await connected(call);
        const [oldA, oldB] = [call.a.pc(), call.b.pc()];
        const oldSender = call.a.snapshot().context.localTracks[0]?.sender;
        oldA.failDtls();
        await until(call, call.a, (s) => s.context.epoch === 1 && inConnection('connected')(s));
        expect(await call.settle()).toBe(true);
        expect(rebuilding).toEqual([{ type: 'rebuilding', reason: 'transport-failed', epoch: 1 }]);
        // Both replaced their connection; the old ones are closed.
        expect([call.a.created.length, call.b.created.length]).toEqual([2, 2]);
        expect([oldA.signalingState, oldB.signalingState]).toEqual(['closed', 'closed']);
        const a = call.a.snapshot().context;
        expect([a.epoch, call.b.snapshot().context.epoch]).toEqual([1, 1]);
        expect([a.counters.rebuilds, call.b.snapshot().context.counters.rebuilds]).toEqual([1, 1]);
        expect(a.lastRebuildMs).toEqual(expect.any(Number));
        expect(a.rebuildAttempts).toBe(0);
        // The app's track is sent again (not stopped), on a new sender; b receives it.
        expect(mic.track.readyState).toBe('live');
        expect(a.localTracks.map((t) => t.track)).toEqual([mic.track]);
        expect(a.localTracks[0]?.sender).not.toBe(oldSender);
        expect(receivedKinds(call.b)).toEqual(['audio']);
        // The channel is open again on both sides and carries data.
        expect(openChannels(call.a, 'local')).toEqual(['chat']);
        expect(openChannels(call.b, 'remote')).toEqual(['chat']);
        const got: unknown[] = [];
        call.b.actor.on('data', (event) => got.push(event.data));
        call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'after rebuild' });
        await call.advance(20);
        expect(got).toEqual(['after rebuild']);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
      },
    );
  });

  it('rebuild: ICE restarts run out on both sides at once; commands and media wait for the new connection', async () => {
    const devices = createFakeMediaDevices();
    const slow = delayed(devices, 900);
    // b's rebuild request reaches a 200 ms late: a waits in awaitingRemote meanwhile.
    const lateRebuild: DeliveryPlan = (m) => (m.type === 'rebuild' ? [200] : [1]);
    await path(
      { a: { mediaDevices: slow }, planB: lateRebuild },
      [
        'after(iceRestartTimeout) #1 [canRebuild]',
        '[joinsRebuild] → creating',
        'peer.rebuilding | * [isCommand]',
        'peer.rebuilding | peer.mediaReady',
        'restartingIce | pc.statesChanged #0 [transportFailed]',
      ],
      async (call) => {
        await connected(call);
        call.network.fail();
        // START_MEDIA's capture arrives while the connection is being rebuilt.
        call.a.actor.send({ type: 'START_MEDIA', constraints: { video: true } });
        await until(call, call.a, (s) => s.matches('rebuilding'));
        const camera = addTrack('video');
        call.a.actor.send(camera);
        await until(call, call.a, (s) => s.matches('active'));
        expect(call.a.snapshot().context.deferredEvents).toEqual([]);
        expect(devices.tracks).toHaveLength(1);
        call.network.up();
        await until(call, call.b, (s) => s.context.epoch >= 1 && inConnection('connected')(s));
        expect(await call.settle()).toBe(true);
        const a = call.a.snapshot().context;
        expect(a.localTracks.map((t) => t.track.kind).sort()).toEqual(['video', 'video']);
        expect(receivedKinds(call.b)).toEqual(['video', 'video']);
        expect(openChannels(call.b, 'remote')).toEqual(['chat']);
        expect([...codes(call.a), ...codes(call.b)]).toEqual([]);

        // Later, a's new transport dies while ICE restarts: restartingIce rebuilds at once.
        call.network.fail();
        await until(call, call.a, inConnection('restartingIce'));
        call.a.pc().failDtls();
        call.network.up();
        await until(call, call.a, (s) => s.context.epoch === a.epoch + 1);
        expect(await call.settle(3000)).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  it('rebuild: a remote that never joins; old messages dropped, bad input reported, then REBUILD_FAILED and bye', async () => {
    const devices = createFakeMediaDevices();
    // a's request is lost: b never hears of the rebuild.
    let failSend = true;
    const lostRebuild: DeliveryPlan = (m) => {
      if (m.type !== 'rebuild') return [1];
      if (failSend) {
        failSend = false;
        throw new Error('socket closed');
      }
      return [];
    };
    await path(
      { a: { mediaDevices: devices }, planA: lostRebuild },
      [
        'awaitingRemote | signal.message #3',
        'awaitingRemote | signal.invalid',
        'awaitingRemote | peer.error',
        'after(rebuildTimeout) → failed',
      ],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
        await until(call, call.a, (s) => s.context.localTracks.length === 1);
        call.a.pc().failDtls();
        await until(call, call.a, (s) => s.matches('rebuilding'));
        // b, unaware, restarts ICE: its offer and candidates mean nothing to a's next connection.
        call.b.actor.send({ type: 'RESTART_ICE' });
        call.b.out.inject({ v: 2, type: 'rebuild', epoch: 0 });
        await until(call, call.a, (s) => s.matches('failed'), 2000);
        expect(codes(call.a)).toEqual([
          'SIGNALING_TRANSPORT_FAILED',
          'INVALID_SIGNALING_MESSAGE',
          'REBUILD_FAILED',
        ]);
        expect(call.a.snapshot().context.closeReason).toBe('rebuild-failed');
        expect(call.a.snapshot().context.counters.droppedWhileRebuilding).toBeGreaterThan(0);
        // The SDK's own track was kept for a new connection that never came: stopped now.
        expect(devices.tracks.map((t) => t.readyState)).toEqual(['ended']);
        await until(call, call.b, (s) => s.matches('closed'));
        expect(call.b.snapshot().context.closeReason).toBe('remote');
      },
    );
  });

  it('rebuild: repeats are ignored, and CLOSE or a bye while waiting end the peer', async () => {
    // Every rebuild message arrives twice: the second is a repeat for whoever reached its epoch.
    const twice: DeliveryPlan = (m) => (m.type === 'rebuild' ? [1, 30] : [1]);
    await path({ planA: twice, planB: twice }, ['signal.message #3 [isRebuild]'], async (call) => {
      await connected(call);
      call.a.pc().failDtls();
      await until(call, call.a, (s) => s.context.epoch === 1 && inConnection('connected')(s));
      expect(await call.settle()).toBe(true);
      expect([call.a.created.length, call.b.created.length]).toEqual([2, 2]);
      expect(call.b.snapshot().context.counters.duplicatesIgnored).toBeGreaterThan(0);
    });
    const lost: DeliveryPlan = (m) => (m.type === 'rebuild' ? [] : [1]);
    await path({ planA: lost }, ['peer.rebuilding | CLOSE → closed'], async (call) => {
      await connected(call);
      call.a.pc().failDtls();
      await until(call, call.a, (s) => s.matches('rebuilding'));
      call.a.actor.send({ type: 'CLOSE' });
      expect(call.a.snapshot().matches('closed')).toBe(true);
      await until(call, call.b, (s) => s.matches('closed'));
    });
    await path(
      { planA: lost },
      ['awaitingRemote | signal.message #0 [isBye] → closed'],
      async (call) => {
        await connected(call);
        call.a.pc().failDtls();
        await until(call, call.a, (s) => s.matches('rebuilding'));
        call.b.actor.send({ type: 'CLOSE' });
        await until(call, call.a, (s) => s.matches('closed'));
        expect(call.a.snapshot().context.closeReason).toBe('remote');
      },
    );
  });

  it('REMOTE_LEFT (the session saw the remote leave the room) ends the peer in every state, with no bye', async () => {
    // b waits in starting for its (async) configuration: a TURN credential fetch.
    const slowConfiguration = () =>
      new Promise<RTCConfiguration>((resolve) => setTimeout(() => resolve({}), 50));
    await path(
      { a: { autoStart: false }, b: { configuration: slowConfiguration } },
      ['peer.idle | REMOTE_LEFT → closed', 'peer.starting | REMOTE_LEFT → closed'],
      async (call) => {
        call.a.actor.send({ type: 'REMOTE_LEFT' });
        expect(call.b.snapshot().matches('starting')).toBe(true);
        call.b.actor.send({ type: 'REMOTE_LEFT' });
        await call.advance(100);
        expect(call.b.created).toEqual([]);
        for (const peer of [call.a, call.b]) {
          expect(peer.snapshot().context.closeReason).toBe('remote-left');
        }
      },
    );
    await path({}, ['peer.active | REMOTE_LEFT → closed'], async (call) => {
      await connected(call);
      call.a.actor.send({ type: 'REMOTE_LEFT' });
      expect(call.a.snapshot().context.closeReason).toBe('remote-left');
      await call.advance(50);
      // No bye went out: b carries on until its own presence tells it.
      expect(call.b.snapshot().matches('active')).toBe(true);
    });
    const lost: DeliveryPlan = (m) => (m.type === 'rebuild' ? [] : [1]);
    await path({ planA: lost }, ['peer.rebuilding | REMOTE_LEFT → closed'], async (call) => {
      await connected(call);
      call.a.pc().failDtls();
      await until(call, call.a, (s) => s.matches('rebuilding'));
      call.a.actor.send({ type: 'REMOTE_LEFT' });
      expect(call.a.snapshot().context.closeReason).toBe('remote-left');
    });
  });

  it('rebuild: the new connection cannot be created: failed with the constructor error', async () => {
    await path({}, ['creating | peer.error → failed'], async (call) => {
      await connected(call);
      call.a.faults.create = 1;
      call.a.pc().failDtls();
      await until(call, call.a, (s) => s.matches('failed'));
      expect(codes(call.a)).toEqual(['PEER_CONNECTION_FAILED']);
      expect(call.a.snapshot().context.closeReason).toBe('peer_connection_failed');
    });
  });

  it('ICE that never starts (no candidate reaches either side) or never finishes: restarted after connectTimeout', async () => {
    // Every candidate is lost until the plan changes: negotiated, yet ICE stays `new`.
    const noCandidates: DeliveryPlan = (m) => (m.type === 'candidate' ? [] : [1]);
    await path(
      { planA: noCandidates, planB: noCandidates },
      ['new | peer.negotiated → new', 'new | after(connectTimeout) [negotiated] → restartingIce'],
      async (call) => {
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.a, inConnection('restartingIce'), 2000);
        expect(call.a.pc().iceConnectionState).toBe('new');
        call.a.out.setPlan(reliable);
        call.b.out.setPlan(reliable);
        expect(await call.settle(5000)).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
    // Checks that never end (the path is down while a rebuilt connection checks).
    await path({}, ['connecting | after(connectTimeout) → restartingIce'], async (call) => {
      await connected(call);
      call.network.fail();
      await until(
        call,
        call.a,
        (s) => s.context.epoch === 1 && inConnection('connecting')(s),
        3000,
      );
      await until(call, call.a, inConnection('restartingIce'), 1000);
      call.network.up();
      expect(await call.settle(5000)).toBe(true);
      expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
    });
  });

  it('start-up glare avoided: the polite peer answers the first offer in its hold, holds again, then offers its own track', async () => {
    await path(
      {},
      ['holdingAfterAnswer | after(holdAfterAnswer) #0 [stateIn] → pending'],
      async (call) => {
        // Both at start: a's data-only offer, b's track, which needs an m-line of b's own.
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        call.b.actor.send(addTrack('audio'));
        expect(await call.settle(5000)).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(call.a.snapshot().context.remoteTracks.map((t) => t.track.kind)).toEqual(['audio']);
        expect(call.b.snapshot().context.counters.rollbacks).toBe(0);
      },
    );
  });

  it('a negotiated connection that gathers nothing is stalled until its first candidate', async () => {
    await path(
      { fakeB: { autoGather: false } },
      [
        'negotiatedNothingSent | after(gatheringStallTimeout)',
        'stalled | always [hasLocalCandidate] → sent',
      ],
      async (call) => {
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.b, (s) => s.matches({ active: { gathering: 'stalled' } }));
        call.b
          .pc()
          .emitIceCandidate({ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 9 typ host' });
        await until(call, call.b, (s) => s.matches({ active: { gathering: 'sent' } }));
        expect(call.b.snapshot().context.counters.candidatesSent).toBe(1);
      },
    );
  });

  // Recovery (issue 12): a connection closed underneath the machine, and the polite peer
  // taking over ICE restarts from a silent impolite one.
  it('closed underneath: the remote closes without a bye while we are disconnected; RESTART_ICE waits for the rebuild', async () => {
    await path(
      {},
      [
        'disconnected | pc.statesChanged #3 [connectionClosedUnderneath] → transportClosed',
        'transportClosed | RESTART_ICE',
        'transportClosed | after(remoteCloseByeGrace) #0 [canRebuild]',
      ],
      async (call) => {
        await connected(call);
        call.network.down();
        await until(call, call.a, inConnection('disconnected'));
        call.b.pc().close();
        await until(call, call.a, inConnection('transportClosed'));
        call.a.actor.send({ type: 'RESTART_ICE' });
        call.network.up();
        await until(call, call.a, (s) => s.context.epoch === 1 && inConnection('connected')(s));
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(call.a.snapshot().context.counters.rebuilds).toBe(1);
        expect(codes(call.a)).toEqual([]);
      },
    );
  });

  it('closed underneath with no rebuild left: ICE restarts run out, failed', async () => {
    const none = { rebuild: { maxAttempts: 0, timeout: 400 } };
    await path(
      { a: none, b: none },
      [
        'connected | pc.statesChanged #4 [connectionClosedUnderneath] → transportClosed',
        'transportClosed | pc.statesChanged',
        'transportClosed | after(remoteCloseByeGrace) #1 → restartingIce',
      ],
      async (call) => {
        await connected(call);
        call.b.pc().close();
        await until(call, call.a, (s) => s.matches('failed'), 5000);
        expect(codes(call.a)).toEqual(['ICE_RESTART_EXHAUSTED']);
      },
    );
  });

  it('ICE: the polite peer takes over restarts when the impolite one stays silent', async () => {
    // a never leaves its grace period: only b restarts, after waiting for a's restart.
    const silent = { iceRestart: { ...FAST_TIMING.iceRestart, disconnectedGracePeriod: 60_000 } };
    await path(
      { a: silent },
      ['awaitingRemote | after(iceRestartTakeover) → restarting'],
      async (call) => {
        await connected(call);
        const offers = call.b.snapshot().context.counters.offersSent;
        call.network.down();
        await until(call, call.b, inConnection('restartingIce'));
        const waitingSince = Date.now();
        expect(call.b.snapshot().context.counters.iceRestarts).toBe(0);
        await until(call, call.b, (s) => s.context.counters.iceRestarts === 1);
        // disconnectedGracePeriod + 2 × maxDelay of b's own options.
        expect(Date.now() - waitingSince).toBeGreaterThanOrEqual(100 + 2 * 400);
        call.network.up({ recoverWithoutRestart: false });
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(call.b.snapshot().context.counters.offersSent).toBeGreaterThan(offers);
      },
    );
  });

  it('the paths take 100 % of the states and every transition of the definition', () => {
    const report = covered.report(targets);
    expect(report.missedStates).toEqual([]);
    expect(report.states.hit).toBe(targets.states.length);
    // The only misses are the transitions unreachable by construction…
    expect(report.missedTransitions).toEqual(Object.keys(UNREACHABLE_BY_CONSTRUCTION));
    expect(report.transitions.hit).toBe(
      targets.transitions.length - Object.keys(UNREACHABLE_BY_CONSTRUCTION).length,
    );
    // …and the construction still holds: every connection state ends its pc.statesChanged list
    // with an unguarded transition, so the region takes every such event.
    const connection = peerMachine.root.states.active?.states.connection;
    if (!connection) throw new Error('no connection region');
    for (const state of Object.values(connection.states)) {
      const list = state.transitions.get('pc.statesChanged') ?? [];
      expect(list.at(-1)?.guard, `${state.id} ends with an unguarded pc.statesChanged`).toBe(
        undefined,
      );
    }
  });
});
