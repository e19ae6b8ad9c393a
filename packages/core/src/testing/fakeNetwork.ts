/**
 * A fake network between fake peer connections. Linked connections reach `connected` once
 * both are stable with each other's current ICE credentials (and, as with real ICE, at least
 * one side knows a remote candidate); their data channels then open and carry messages. The
 * network can go down, fail and come back, with Chromium's recovery rules: a `disconnected`
 * path may recover by itself, a `failed` one only after an ICE restart.
 *
 * Every transition happens in a later task (`setTimeout`), after `latencyMs`, so tests can
 * drive it with `vi.useFakeTimers()` and `vi.advanceTimersByTimeAsync()`.
 * @module
 */

import type { FakeDataChannel } from './fakeDataChannel.js';
import {
  FakePeerConnection,
  type FakePeerConnectionOptions,
  type FakePeerLink,
  peerInternals,
} from './fakePeerConnection.js';
import { queueTask } from './queueTask.js';

/** How a fake network behaves. */
export interface FakeNetworkOptions {
  /** Delay of each connection step and of data channel delivery, in ms (default `0`). */
  readonly latencyMs?: number;
  /**
   * Connect only once at least one side has a remote candidate (added with
   * `addIceCandidate` or carried in the remote SDP), as real ICE needs (default `true`).
   */
  readonly requireCandidates?: boolean;
  /** Options for every connection the network's factories create. */
  readonly peerOptions?: FakePeerConnectionOptions;
  /**
   * `true`: an ICE restart negotiated while the path is down or failed is spent, as with a TURN
   * relay that died with its allocations (its gathering found no relay), and only a restart
   * negotiated after {@link FakeNetwork.up} reconnects. Default `false`: the last restart
   * negotiated during the outage reconnects as soon as the path is back.
   */
  readonly restartsNeedThePath?: boolean;
}

/** How {@link FakeNetwork.up} restores the path. */
export interface FakeNetworkUpOptions {
  /**
   * `true` (default): a `disconnected` connection returns to `connected` by itself. `false`:
   * it stays `disconnected` until an ICE restart completes, like Chromium after a TURN outage.
   * A `failed` connection always needs an ICE restart.
   */
  readonly recoverWithoutRestart?: boolean;
}

/** The state of the fake network path. */
export type FakeNetworkState = 'up' | 'down' | 'failed';

/** Which end of a linked pair. */
export type FakePeerSide = 'a' | 'b';

/** A factory usable as the SDK's `peerConnection` option. */
export type FakePeerConnectionFactory = (configuration?: RTCConfiguration) => FakePeerConnection;

type Phase = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed';

interface Ufrags {
  readonly a: string | null;
  readonly b: string | null;
}

class Pair {
  readonly a: FakePeerConnection;
  readonly b: FakePeerConnection;
  phase: Phase = 'new';
  /** Local ufrags when the path went down. */
  outage: Ufrags | null = null;
  /** Both local ufrags must differ from these before reconnecting (an ICE restart). */
  needsRestart: Ufrags | null = null;
  /** Bumped to cancel scheduled steps that no longer apply. */
  generation = 0;
  dead = false;
  readonly linked = new WeakSet<FakeDataChannel>();

  constructor(a: FakePeerConnection, b: FakePeerConnection) {
    this.a = a;
    this.b = b;
  }

  ufrags(): Ufrags {
    return { a: this.a[peerInternals].localUfrag, b: this.b[peerInternals].localUfrag };
  }

  other(pc: FakePeerConnection): FakePeerConnection {
    return pc === this.a ? this.b : this.a;
  }
}

/** A network linking fake peer connections in pairs. */
export class FakeNetwork {
  readonly #latencyMs: number;
  readonly #requireCandidates: boolean;
  readonly #peerOptions: FakePeerConnectionOptions;
  readonly #restartsNeedThePath: boolean;
  #state: FakeNetworkState = 'up';
  readonly #pairs = new Set<Pair>();
  readonly #latest: Record<FakePeerSide, FakePeerConnection | null> = { a: null, b: null };

  constructor(options: FakeNetworkOptions = {}) {
    this.#latencyMs = options.latencyMs ?? 0;
    this.#requireCandidates = options.requireCandidates ?? true;
    this.#peerOptions = options.peerOptions ?? {};
    this.#restartsNeedThePath = options.restartsNeedThePath ?? false;
  }

  /** `up`, `down` (after {@link down}) or `failed` (after {@link fail}). */
  get state(): FakeNetworkState {
    return this.#state;
  }

  /** Links two connections; a connection linked before is unlinked from its old partner. */
  link(a: FakePeerConnection, b: FakePeerConnection): void {
    if (a === b) throw new TypeError('Cannot link a peer connection to itself');
    for (const pair of [...this.#pairs]) {
      if (pair.a === a || pair.b === a || pair.a === b || pair.b === b) this.#dissolve(pair);
    }
    const pair = new Pair(a, b);
    this.#pairs.add(pair);
    const link: FakePeerLink = {
      changed: () => this.#evaluate(pair),
      closed: (pc) => this.#peerClosed(pair, pc),
    };
    a[peerInternals].setLink(link);
    b[peerInternals].setLink(link);
    this.#evaluate(pair);
  }

  /**
   * A factory for one side: each connection it creates is linked to the latest connection the
   * other side's factory created (so a side that recreates its connection is relinked).
   */
  factory(side: FakePeerSide, options: FakePeerConnectionOptions = {}): FakePeerConnectionFactory {
    return (configuration = {}) => {
      const pc = new FakePeerConnection(configuration, { ...this.#peerOptions, ...options });
      this.#latest[side] = pc;
      const other = this.#latest[side === 'a' ? 'b' : 'a'];
      if (other !== null && other.signalingState !== 'closed') {
        if (side === 'a') this.link(pc, other);
        else this.link(other, pc);
      }
      return pc;
    };
  }

  /** The latest connection a side's factory created. */
  peer(side: FakePeerSide): FakePeerConnection | null {
    return this.#latest[side];
  }

  /** The path drops: connected peers go `disconnected`. */
  down(): void {
    this.#state = 'down';
    for (const pair of this.#pairs) {
      pair.outage ??= pair.ufrags();
      if (pair.phase !== 'connected') continue;
      pair.phase = 'disconnected';
      this.#step(pair, () => this.#drive(pair, 'disconnected'));
    }
  }

  /**
   * ICE gives up: peers go `failed` (through `disconnected` when they were connected) and will
   * reconnect only after an ICE restart, once the network is up again.
   */
  fail(): void {
    this.#state = 'failed';
    for (const pair of this.#pairs) {
      pair.outage ??= pair.ufrags();
      pair.needsRestart = pair.outage;
      if (pair.phase === 'new' || pair.phase === 'failed') continue;
      const wasConnected = pair.phase === 'connected';
      pair.phase = 'failed';
      this.#step(pair, () => {
        if (wasConnected) this.#drive(pair, 'disconnected');
        this.#drive(pair, 'failed');
      });
    }
  }

  /** The path is back; see {@link FakeNetworkUpOptions} for who reconnects by itself. */
  up(options: FakeNetworkUpOptions = {}): void {
    const recover = options.recoverWithoutRestart ?? true;
    this.#state = 'up';
    for (const pair of this.#pairs) {
      const outage = pair.outage;
      pair.outage = null;
      if (pair.phase === 'disconnected') {
        if (recover && pair.needsRestart === null) {
          pair.phase = 'connected';
          this.#step(pair, () => this.#connected(pair));
          continue;
        }
        pair.needsRestart ??= outage;
      }
      if (pair.phase === 'connecting') {
        this.#step(pair, () => this.#connected(pair), this.#latencyMs);
        continue;
      }
      this.#evaluate(pair);
    }
  }

  #evaluate(pair: Pair): void {
    if (pair.dead || pair.a.signalingState === 'closed' || pair.b.signalingState === 'closed') {
      return;
    }
    const a = pair.a[peerInternals];
    const b = pair.b[peerInternals];
    const ready =
      a.negotiated &&
      b.negotiated &&
      a.localUfrag !== null &&
      b.localUfrag !== null &&
      a.localUfrag === b.remoteUfrag &&
      b.localUfrag === a.remoteUfrag &&
      (!this.#requireCandidates || a.hasRemoteCandidates || b.hasRemoteCandidates);
    if (!ready) return;
    if (pair.phase === 'connected') {
      this.#pairDataChannels(pair);
      return;
    }
    if (pair.phase === 'connecting') return;
    const restart = pair.needsRestart;
    if (restart !== null && (a.localUfrag === restart.a || b.localUfrag === restart.b)) return;
    if (pair.phase === 'disconnected' && restart === null) return;
    if (this.#restartsNeedThePath && this.#state !== 'up' && restart !== null) {
      pair.needsRestart = pair.ufrags();
      return;
    }
    pair.needsRestart = null;
    pair.phase = 'connecting';
    this.#step(pair, () => {
      this.#drive(pair, 'checking');
      if (this.#state === 'up') this.#step(pair, () => this.#connected(pair), this.#latencyMs);
    });
  }

  #connected(pair: Pair): void {
    if (this.#state !== 'up') return;
    pair.phase = 'connected';
    this.#drive(pair, 'connected');
    this.#pairDataChannels(pair);
    for (const pc of [pair.a, pair.b]) {
      for (const channel of pc[peerInternals].dataChannels) channel.driveFlush();
    }
  }

  /** Runs `step` in a later task unless the pair moved on in between. */
  #step(pair: Pair, step: () => void, delayMs = 0): void {
    pair.generation += 1;
    const generation = pair.generation;
    queueTask(() => {
      if (pair.dead || pair.generation !== generation) return;
      step();
    }, delayMs);
  }

  #drive(pair: Pair, state: RTCIceConnectionState): void {
    pair.a[peerInternals].driveIceState(state);
    pair.b[peerInternals].driveIceState(state);
  }

  /** Announces new channels to the other side and opens the ones whose stream is ready. */
  #pairDataChannels(pair: Pair): void {
    const a = pair.a[peerInternals];
    const b = pair.b[peerInternals];
    if (a.sctp === null || b.sctp === null || pair.phase !== 'connected') return;
    for (const [local, remote] of [
      [pair.a, pair.b],
      [pair.b, pair.a],
    ] as const) {
      for (const channel of [...local[peerInternals].dataChannels]) {
        if (pair.linked.has(channel) || channel.readyState === 'closed' || channel.id === null) {
          continue;
        }
        if (channel.negotiated) {
          // Negotiated channels open with the transport and pair up by stream id.
          local[peerInternals].openChannel(channel);
          const match = remote[peerInternals].dataChannels.find(
            (c) =>
              c.negotiated &&
              c.id === channel.id &&
              !pair.linked.has(c) &&
              c.readyState !== 'closed',
          );
          if (match !== undefined) {
            remote[peerInternals].openChannel(match);
            this.#connectChannels(pair, channel, match);
          }
          continue;
        }
        // DCEP: the remote announces the channel on DATA_CHANNEL_OPEN, the creator opens on ACK.
        const counterpart = remote[peerInternals].announceDataChannel({
          label: channel.label,
          ordered: channel.ordered,
          maxPacketLifeTime: channel.maxPacketLifeTime,
          maxRetransmits: channel.maxRetransmits,
          protocol: channel.protocol,
          negotiated: false,
          id: channel.id,
        });
        this.#connectChannels(pair, channel, counterpart);
        queueTask(() => local[peerInternals].openChannel(channel), this.#latencyMs);
      }
    }
  }

  #connectChannels(pair: Pair, x: FakeDataChannel, y: FakeDataChannel): void {
    pair.linked.add(x);
    pair.linked.add(y);
    const isUp = (): boolean => !pair.dead && this.#state === 'up' && pair.phase === 'connected';
    x.driveLink({ remote: y, delayMs: this.#latencyMs, isUp });
    y.driveLink({ remote: x, delayMs: this.#latencyMs, isUp });
  }

  /** The other side gets no bye: its channels abort and ICE consent expires. */
  #peerClosed(pair: Pair, closed: FakePeerConnection): void {
    if (pair.dead) return;
    const other = pair.other(closed);
    const wasActive = pair.phase !== 'new';
    this.#dissolve(pair);
    if (other.signalingState === 'closed') return;
    queueTask(() => {
      if (other.signalingState === 'closed') return;
      for (const channel of other[peerInternals].dataChannels) {
        if (channel.readyState !== 'closed') channel.simulateError();
      }
      other[peerInternals].remoteGone();
      if (wasActive) other[peerInternals].driveIceState('disconnected');
    }, this.#latencyMs);
  }

  #dissolve(pair: Pair): void {
    pair.dead = true;
    pair.generation += 1;
    this.#pairs.delete(pair);
    pair.a[peerInternals].setLink(null);
    pair.b[peerInternals].setLink(null);
  }
}

/** Creates an empty fake network. */
export function createFakeNetwork(options?: FakeNetworkOptions): FakeNetwork {
  return new FakeNetwork(options);
}

/** Links two existing connections over a new network (or `options.network`) and returns it. */
export function linkFakePeers(
  a: FakePeerConnection,
  b: FakePeerConnection,
  options: FakeNetworkOptions & { readonly network?: FakeNetwork } = {},
): FakeNetwork {
  const network = options.network ?? new FakeNetwork(options);
  network.link(a, b);
  return network;
}

/** What {@link createFakePeerPair} accepts. */
export interface FakePeerPairOptions extends FakeNetworkOptions {
  readonly configuration?: RTCConfiguration;
  /** Options for `a` only, over `peerOptions`. */
  readonly a?: FakePeerConnectionOptions;
  /** Options for `b` only, over `peerOptions`. */
  readonly b?: FakePeerConnectionOptions;
}

/** Two linked connections and their network. */
export function createFakePeerPair(options: FakePeerPairOptions = {}): {
  a: FakePeerConnection;
  b: FakePeerConnection;
  network: FakeNetwork;
} {
  const network = new FakeNetwork(options);
  const a = network.factory('a', options.a)(options.configuration);
  const b = network.factory('b', options.b)(options.configuration);
  return { a, b, network };
}
