/**
 * Model-based paths: the coverage targets are every state node and every transition of
 * `peerMachine`'s own definition (see coverage.ts). Each path below is an event sequence run
 * against two real peers (fake engines, fake network, a controllable signaling wire); XState's
 * inspection records what each path really took, the invariants of harness.ts are checked on
 * every snapshot, and the last test asserts that the paths together take 100 % of both.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeerSnapshot } from '../../machine/createPeer.js';
import { peerMachine } from '../../machine/peerMachine.js';
import type { SignalingMessage } from '../../signaling/types.js';
import {
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
  FakePeerConnection,
} from '../../testing/index.js';
import { CoverageRecorder, formatCoverage, machineTargets } from './coverage.js';
import {
  createModelCall,
  type DeliveryPlan,
  isConnected,
  type ModelCall,
  type ModelCallOptions,
  type ModelPeer,
  openChannels,
  receivedKinds,
  sentKinds,
} from './harness.js';
import { machineWithProposedFixes } from './proposedFixes.js';

const targets = machineTargets(peerMachine);

const fixedMachine = machineWithProposedFixes();
/** What paths over the shipped machine took. */
const shipped = new CoverageRecorder();
/** What paths over the machine with the proposed fixes took. */
const withFixes = new CoverageRecorder();
/** Unreachable on the shipped machine, and why. */
const UNREACHABLE_WHILE_BUGGY: Record<string, string> = {
  'peer.active.connection.restartingIce | peer.negotiated [negotiatedWhileConnected] → connected':
    'bug 1: the signalingstatechange of the restart offer always leaves restartingIce first',
};
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
  (options.machine ? withFixes : shipped).merge(recorder);
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
        'peer.closed | * [isCommand]',
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
        call.b.actor.send({ type: 'RESTART_ICE' });
        expect(codes(call.b)).toEqual(['PEER_CLOSED']);
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

  it('a peer connection that cannot be created: failed, commands refused, CLOSE closes', async () => {
    await path(
      {
        factoryA: () => {
          throw new TypeError('bad iceServers');
        },
      },
      ['peer.starting | peer.error', 'peer.failed | * [isCommand]', 'peer.failed | CLOSE'],
      async (call) => {
        await call.advance(10);
        expect(call.a.snapshot().value).toBe('failed');
        expect(codes(call.a)).toEqual(['PEER_CONNECTION_FAILED']);
        call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
        expect(codes(call.a)).toEqual(['PEER_CONNECTION_FAILED', 'PEER_CLOSED']);
        call.a.actor.send({ type: 'CLOSE' });
        expect(call.a.snapshot().value).toBe('closed');
      },
    );
  });

  it('media that arrives after failed or closed is stopped at once', async () => {
    const devices = createFakeMediaDevices();
    const slow = {
      getUserMedia: async (constraints?: MediaStreamConstraints) => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return devices.getUserMedia(constraints);
      },
    };
    // b's bye is lost, so a finds out through ICE alone.
    const noBye: DeliveryPlan = (m) => (m.type === 'bye' ? [] : [1]);
    await path(
      { a: { mediaDevices: slow }, b: { mediaDevices: slow }, planB: noBye },
      ['peer.failed | peer.mediaReady', 'peer.closed | peer.mediaReady'],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
        call.b.actor.send({ type: 'START_MEDIA', constraints: { video: true } });
        call.b.actor.send({ type: 'CLOSE' });
        call.network.fail();
        await until(call, call.a, (s) => s.matches('failed'));
        expect(codes(call.a)).toContain('ICE_RESTART_EXHAUSTED');
        await call.advance(2100);
        expect(devices.tracks.map((t) => t.readyState)).toEqual(['ended', 'ended']);
      },
    );
  });

  it('malformed signaling and a failed command are reported and change nothing', async () => {
    await path({}, ['signal.invalid', 'peer.active | peer.error'], async (call) => {
      await connected(call);
      call.b.out.inject({ v: 1, type: 'description' });
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
        'haveLocalOffer | always #2 [and]',
        'haveLocalOffer | always #3 [nextIsOffer] → settingRemoteDescription',
        'haveLocalOffer | always #1 [nextIsCandidate]',
        'peer.candidateDiscarded',
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
        expect(receivedKinds(call.a)).toEqual(['audio']);
        expect(receivedKinds(call.b)).toEqual(['video']);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
      },
    );
  });

  it('a duplicated answer is refused as unexpected, and nothing else changes', async () => {
    const plan: DeliveryPlan = (m) => (isAnswer(m) ? [1, 5] : [1]);
    await path({ planB: plan }, ['signaling.stable | always #3 [nextIsAnswer]'], async (call) => {
      await connected(call);
      expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
      expect(codes(call.b)).toEqual([]);
    });
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

  it('a lost answer: the offer is rolled back after answerTimeout and made again', async () => {
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
      ['after(answerTimeout) → rollingBack', 'done(rollingBack) → stable'],
      async (call) => {
        await connected(call);
        expect(call.a.snapshot().context.counters.offersSent).toBe(2);
      },
    );
  });

  it('an answer the engine refuses: rolled back to stable, offered again', async () => {
    await path({}, ['error(settingRemoteDescription) #0 [pcInHaveLocalOffer]'], async (call) => {
      call.a.faults.remote = 1;
      await connected(call);
      expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED']);
    });
  });

  it('an offer the engine refuses in stable: error, stable; the offerer times out and retries', async () => {
    await path({}, ['error(settingRemoteDescription) #2 → stable'], async (call) => {
      call.b.faults.remote = 1;
      await connected(call);
      expect(codes(call.b)).toEqual(['NEGOTIATION_FAILED']);
    });
  });

  it('answer creation fails, then the rollback fails, then the next offer is refused', async () => {
    await path(
      {},
      [
        'error(answering) → rollingBack',
        'error(rollingBack) → stable',
        'error(settingRemoteDescription) #1 [pcInHaveRemoteOffer]',
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

  it('the rollback after answerTimeout fails and so does the new offer: haveLocalOffer still', async () => {
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
      ['error(makingOffer) #0 [pcInHaveLocalOffer] → haveLocalOffer'],
      async (call) => {
        call.a.faults.rollback = 1;
        call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
        await until(call, call.a, inSignaling('haveLocalOffer'));
        call.a.faults.offer = 1;
        expect(await call.settle(5000)).toBe(true);
        expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
        expect(codes(call.a)).toEqual(['NEGOTIATION_FAILED', 'NEGOTIATION_FAILED']);
      },
    );
  });

  it('ICE: disconnected recovers by itself, then a grace-period restart recovers', async () => {
    await path(
      {},
      [
        '.connected | pc.statesChanged #2 [connectionIs] → disconnected',
        'disconnected | pc.statesChanged #2 [connectionIs] → connected',
        'after(disconnectedGracePeriod) → restartingIce',
        'restartingIce | pc.statesChanged [connectionIs] → connected',
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
      {},
      [
        '.disconnected | pc.statesChanged #0 [connectionIs] → restartingIce',
        'after(iceRestartTimeout) #0 [canRetryIceRestart]',
        'after(iceRestartTimeout) #1 → failed',
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
        'disconnected | pc.statesChanged #0 [connectionIs] → restartingIce',
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

  it('ICE: a manual restart while connected ends when its negotiation does (proposed fixes, bugs 1+2)', async () => {
    // Slow answers, so a premature exit from restartingIce is visible.
    const slowAnswer: DeliveryPlan = (m) => [isAnswer(m) ? 40 : 1];
    await path(
      { planB: slowAnswer, machine: fixedMachine },
      ['peer.negotiated [negotiatedWhileConnected]'],
      async (call) => {
        await connected(call);
        call.a.actor.send({ type: 'RESTART_ICE' });
        await call.advance(20);
        expect(inConnection('restartingIce')(call.a.snapshot())).toBe(true);
        expect(await call.settle()).toBe(true);
        expect(isConnected(call.a)).toBe(true);
        expect(call.a.snapshot().context.lastIceRecoveryMs).toBeGreaterThanOrEqual(40);
      },
    );
  });

  // BUG 1: restartingIce leaves for `connected` on *any* pc.statesChanged whose connection is
  // `connected`; after a manual RESTART_ICE while connected that is the very next
  // signalingstatechange (our own restart offer), long before the restart is negotiated. So
  // `lastIceRecoveryMs` is ~0, attempts reset early, and `peer.negotiated
  // [negotiatedWhileConnected]` can never be taken on an engine that fires
  // signalingstatechange. Remove `.fails` once the guard fix (see report) is applied.
  it.fails('regression (bug 1): a manual restart is not "recovered" before its answer arrives', async () => {
    const slowAnswer: DeliveryPlan = (m) => [isAnswer(m) ? 40 : 1];
    const call = createModelCall({ planB: slowAnswer });
    current = call;
    await connected(call);
    call.a.actor.send({ type: 'RESTART_ICE' });
    await call.advance(20);
    expect(inConnection('restartingIce')(call.a.snapshot())).toBe(true);
  });

  it('ICE: the remote restarts while we wait out our grace period: disconnected → connecting', async () => {
    await path(
      { latencyMs: 10 },
      [
        'disconnected | pc.statesChanged #1 [connectionIs] → connecting',
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
        'new | pc.statesChanged #2 [connectionIs] → connected',
        'new | pc.statesChanged #3 [connectionIs] → disconnected',
        '.connected | pc.statesChanged #1 [connectionIs] → connecting',
        'connecting | pc.statesChanged #2 [connectionIs] → disconnected',
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

  // BUG 2: `context.pcStates` misses every report that moves the connection region (XState v5
  // runs a parallel state's own handler only when no region handles the event).
  it.fails('regression (bug 2): pcStates follows a connection state change', async () => {
    const { engines, factory } = standaloneEngines();
    const call = createModelCall({ factoryA: factory, factoryB: factory });
    current = call;
    await call.advance(5);
    engines[0]?.setConnectionState('connected');
    await call.advance(5);
    expect(inConnection('connected')(call.a.snapshot())).toBe(true);
    expect(call.a.snapshot().context.pcStates.connection).toBe('connected');
  });

  it('pcStates follows a connection state change (proposed fix for bug 2)', async () => {
    const { engines, factory } = standaloneEngines();
    const call = createModelCall({ factoryA: factory, factoryB: factory, machine: fixedMachine });
    current = call;
    await call.advance(5);
    engines[0]?.setConnectionState('connected');
    await call.advance(5);
    expect(inConnection('connected')(call.a.snapshot())).toBe(true);
    expect(call.a.snapshot().context.pcStates.connection).toBe('connected');
  });

  it('engine-reported jumps: new → failed and connected → failed restart ICE at once', async () => {
    const { engines, factory } = standaloneEngines();
    await path(
      { factoryA: factory, factoryB: factory },
      [
        '.new | pc.statesChanged #0 [connectionIs] → restartingIce',
        '.connected | pc.statesChanged #0 [connectionIs] → restartingIce',
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
    console.info(`[model] shipped peerMachine: ${formatCoverage(shipped.report(targets))}`);
    const union = new CoverageRecorder();
    union.merge(shipped);
    union.merge(withFixes);
    console.info(`[model] with the proposed fixes: ${formatCoverage(union.report(targets))}`);
  });

  it('the paths take 100 % of the states and every reachable transition of the definition', () => {
    const report = shipped.report(targets);
    expect(report.missedStates).toEqual([]);
    expect(report.states.hit).toBe(targets.states.length);
    // Every miss is explained, and the explanation holds: the fixed machine takes it.
    expect(report.missedTransitions).toEqual(Object.keys(UNREACHABLE_WHILE_BUGGY));
    for (const key of report.missedTransitions) expect(withFixes.transitions.has(key)).toBe(true);
    expect(report.transitions.hit).toBe(targets.transitions.length - 1);
  });
});
