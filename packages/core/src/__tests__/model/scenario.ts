/**
 * Property scenarios: two peers, random interleavings of commands, and a signaling wire with faults.
 * What is guaranteed depends on what the wire does, and each profile says so:
 *
 * | profile            | wire                                                   | guaranteed                                  |
 * | ------------------ | ------------------------------------------------------ | ------------------------------------------- |
 * | reliable           | FIFO, random delays                                    | converge¹, no error at all, no lost candidate |
 * | candidatesReorder  | candidates overtake anything; descriptions stay FIFO   | converge¹, no error at all                  |
 * | duplicating        | FIFO, any candidate may arrive twice                   | converge¹, only typed NEGOTIATION_FAILED     |
 * | hostile            | candidates reordered/duplicated/dropped, offers        | safe², settles³                             |
 * |                    | dropped, answers and bye delivered once, in order      |                                             |
 * | duplicatingAll     | FIFO, any message may arrive twice                     | as duplicating                              |
 * | answersDisordered  | answers late (up to 3 answerTimeouts), duplicated and  | converge¹, no error at all; each peer       |
 * |                    | reordered; everything else in order                    | believes the remote ufrag the remote uses   |
 * | hostileAll         | anything reordered, duplicated, dropped (bye too)      | safe²; settles³ only in runs where fewer    |
 * |                    |                                                        | than OFFER_ATTEMPTS descriptions were lost  |
 * |                    |                                                        | and none was duplicated or reordered⁴       |
 *
 * ¹ both peers connected, each receives exactly the kinds of tracks the other sends, the same
 *   open channels on both ends; a remote close ends the other side `closed` with reason `remote`.
 * ² no invariant broken on any snapshot, no InvalidStateError or other exception escapes (every
 *   error is a typed PeerStateError event), no unhandled rejection, nothing left after close
 *   (peer connections, listeners, signaling subscriptions, timers).
 * ³ the signaling regions never stay in a transient state (makingOffer, settingRemoteDescription,
 *   answering, rollingBack); at rest a `stable` region matches a `stable` engine.
 * ⁴ a documented limitation, not a bug to hide: an unanswered offer is never rolled back now
 *   (issue 11); it is resent, the same offer, with backoff and then at the longest interval, and
 *   the answerer answers a repeat with the answer it sent. Protocol v2 ties every answer to its
 *   offer (answersDisordered checks it), but an offer replayed after a newer one is still taken
 *   as a new offer: liveness is not claimed when offers are lost, duplicated or reordered.
 *   Safety² is checked in every run; the property prints how many runs were excused and how many
 *   of those did not settle.
 *
 * CI runs a fixed seed and a few runs per profile; `FC_RUNS=500 FC_SEED=… pnpm --filter
 * @peerstatejs/core test:long` runs more and prints how many passed.
 */
import fc from 'fast-check';
import { PeerStateError } from '../../errors.js';
import type { peerMachine } from '../../machine/peerMachine.js';
import type { SignalingMessage } from '../../signaling/types.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import {
  createModelCall,
  type DeliveryPlan,
  isConnected,
  isInTransit,
  type ModelCall,
  type ModelPeer,
  openChannels,
  receivedKinds,
  sentKinds,
  signalingState,
} from './harness.js';

export type Side = 'a' | 'b';
export type Command =
  | { readonly t: 'add'; readonly on: Side; readonly kind: 'audio' | 'video' }
  | { readonly t: 'remove'; readonly on: Side; readonly index: number }
  | { readonly t: 'replace'; readonly on: Side; readonly index: number; readonly withNull: boolean }
  | { readonly t: 'channel'; readonly on: Side; readonly label: 'chat' | 'file' | 'ctl' }
  | { readonly t: 'restart'; readonly on: Side }
  | { readonly t: 'wait'; readonly ms: number };

const side = fc.constantFrom<Side>('a', 'b');
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), on: side, kind: fc.constantFrom('audio', 'video') }),
  fc.record({ t: fc.constant('remove' as const), on: side, index: fc.nat(3) }),
  fc.record({
    t: fc.constant('replace' as const),
    on: side,
    index: fc.nat(3),
    withNull: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('channel' as const),
    on: side,
    label: fc.constantFrom('chat', 'file', 'ctl'),
  }),
  fc.record({ t: fc.constant('restart' as const), on: side }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

export interface Scenario {
  readonly commands: readonly Command[];
  /** One delivery decision per message, per direction; messages past the end arrive in 1 ms. */
  readonly wireA: readonly Delivery[];
  readonly wireB: readonly Delivery[];
  /** Hang up at the end (from this side), or not. */
  readonly close: Side | null;
}

export interface Delivery {
  readonly delay: number;
  readonly dup: boolean;
  readonly drop: boolean;
}

const delivery = (faults: { dup: boolean; drop: boolean }): fc.Arbitrary<Delivery> =>
  fc.record({
    delay: fc.integer({ min: 0, max: 30 }),
    dup: faults.dup ? fc.boolean() : fc.constant(false),
    drop: faults.drop ? fc.boolean() : fc.constant(false),
  });

export function scenario(faults: { dup: boolean; drop: boolean }): fc.Arbitrary<Scenario> {
  return fc.record({
    commands: fc.array(command, { minLength: 1, maxLength: 12 }),
    wireA: fc.array(delivery(faults), { maxLength: 24 }),
    wireB: fc.array(delivery(faults), { maxLength: 24 }),
    close: fc.constantFrom<Side | null>(null, null, 'a', 'b'),
  });
}

/**
 * How often an offer is sent before the offerer gives up on its answer and rolls it back: once,
 * then `MAX_OFFER_RESENDS` (2) times again (src/machine/peerMachine.ts).
 */
export const OFFER_ATTEMPTS = 3;

export type Profile =
  | 'reliable'
  | 'candidatesReorder'
  | 'duplicating'
  | 'hostile'
  | 'duplicatingAll'
  | 'answersDisordered'
  | 'hostileAll';

function isAnswer(message: SignalingMessage): boolean {
  return message.type === 'description' && message.description.type !== 'offer';
}

function plan(profile: Profile, decisions: readonly Delivery[]): DeliveryPlan {
  return (message: SignalingMessage, seq: number) => {
    const d = decisions[seq] ?? { delay: 1, dup: false, drop: false };
    const candidate = message.type === 'candidate';
    switch (profile) {
      case 'reliable':
        return [d.delay];
      case 'candidatesReorder':
        // Equal delays keep descriptions in order; candidates go anywhere around them.
        return [candidate ? d.delay : 15];
      case 'duplicating':
        // Candidates only; duplicatingAll duplicates descriptions too.
        return d.dup && candidate ? [d.delay, d.delay + 3] : [d.delay];
      case 'duplicatingAll':
        return d.dup ? [d.delay, d.delay + 3] : [d.delay];
      case 'hostile':
        // Answers and bye arrive, once, in order; hostileAll loses and duplicates them too.
        if (isAnswer(message) || message.type === 'bye') return [15];
        if (d.drop) return [];
        return d.dup && candidate ? [d.delay, 30 - d.delay] : [candidate ? d.delay : 15];
      case 'answersDisordered':
        // FAST_TIMING.answerTimeout is 300 ms: late enough for resends, early enough for no
        // NEGOTIATION_TIMEOUT; the copy may overtake or follow later exchanges.
        if (!isAnswer(message)) return [15];
        return d.dup ? [d.delay * 30, (30 - d.delay) * 30] : [d.delay * 30];
      case 'hostileAll':
        if (d.drop) return [];
        return d.dup ? [d.delay, 30 - d.delay] : [d.delay];
    }
  };
}

function localTrack(peer: ModelPeer, index: number): MediaStreamTrack | undefined {
  const tracks = peer.snapshot().context.localTracks;
  if (tracks.length === 0) return undefined;
  return tracks[index % tracks.length]?.track;
}

async function apply(call: ModelCall, c: Command): Promise<void> {
  if (c.t === 'wait') {
    await call.advance(c.ms);
    return;
  }
  const peer = call[c.on];
  switch (c.t) {
    case 'add': {
      const track = createFakeTrack(c.kind);
      peer.actor.send({ type: 'ADD_TRACK', track, streams: [createFakeStream([track])] });
      break;
    }
    case 'remove': {
      const track = localTrack(peer, c.index);
      if (track) peer.actor.send({ type: 'REMOVE_TRACK', track });
      break;
    }
    case 'replace': {
      const track = localTrack(peer, c.index);
      if (track) {
        peer.actor.send({
          type: 'REPLACE_TRACK',
          track,
          withTrack: c.withNull ? null : createFakeTrack(track.kind as 'audio' | 'video'),
        });
      }
      break;
    }
    case 'channel':
      peer.actor.send({ type: 'CREATE_DATA_CHANNEL', label: c.label });
      break;
    case 'restart':
      peer.actor.send({ type: 'RESTART_ICE' });
      break;
  }
  // Commands land in between the steps of whatever negotiation is under way.
  await call.advance(1);
}

/** Candidates `from` sent for the ICE generation `to` now uses that `to` never added. */
function lostCandidates(from: ModelPeer, to: ModelPeer): string[] {
  const sdp = to.pc().remoteDescription?.sdp ?? '';
  const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
  const added = new Set(to.pc().addedRemoteCandidates.map((c) => c.candidate));
  return from.out.sent.flatMap((m) =>
    m.type === 'candidate' &&
    m.candidate !== null &&
    m.candidate.candidate !== '' &&
    m.candidate.usernameFragment === ufrag &&
    !added.has(m.candidate.candidate)
      ? [m.candidate.candidate]
      : [],
  );
}

/** What the wire did to descriptions (both directions), for the liveness condition of `hostileAll`. */
interface DescriptionFate {
  lost: number;
  /** A description was delivered twice. */
  duplicated: boolean;
  /** A copy of a description arrived after a description sent later (in the same direction). */
  reordered: boolean;
}

function watchDescriptions(deliver: DeliveryPlan, fate: DescriptionFate): DeliveryPlan {
  let latest = Number.NEGATIVE_INFINITY;
  return (message, seq) => {
    const delays = deliver(message, seq);
    if (message.type !== 'description') return delays;
    if (delays.length === 0) {
      fate.lost += 1;
      return delays;
    }
    if (delays.length > 1) fate.duplicated = true;
    const arrivals = delays.map((delay) => Date.now() + delay);
    if (Math.min(...arrivals) < latest) fate.reordered = true;
    latest = Math.max(latest, ...arrivals);
    return delays;
  };
}

/** `hostileAll` runs whose liveness was not checked (see the header), and how many of them failed it. */
export const livenessStats = { excused: 0, excusedFailures: 0 };

/** Runs one scenario; returns the broken guarantees (empty: it passed). */
export async function runScenario(
  profile: Profile,
  s: Scenario,
  machine?: typeof peerMachine,
): Promise<string[]> {
  const fate: DescriptionFate = { lost: 0, duplicated: false, reordered: false };
  const call = createModelCall({
    ...(machine ? { machine } : {}),
    planA: watchDescriptions(plan(profile, s.wireA), fate),
    planB: watchDescriptions(plan(profile, s.wireB), fate),
    ordered: profile === 'reliable' || profile === 'duplicating' || profile === 'duplicatingAll',
  });
  const broken: string[] = [];
  /** Guarantee ³ (settles); excused in `hostileAll` once the wire lost too many descriptions. */
  const liveness: string[] = [];
  try {
    // Every call starts with a channel so that there is something to connect.
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    for (const c of s.commands) await apply(call, c);
    const settled = await call.settle(6000);
    const peers = [call.a, call.b] as const;
    for (const peer of peers) {
      broken.push(...peer.violations);
      for (const e of peer.escaped) broken.push(`${peer.name}: escaped ${String(e)}`);
      for (const e of peer.errors) {
        if (!(e instanceof PeerStateError)) broken.push(`${peer.name}: untyped error ${String(e)}`);
      }
      if (isInTransit(peer.snapshot())) {
        liveness.push(`${peer.name} stuck in ${JSON.stringify(peer.snapshot().value)}`);
      }
    }
    for (const e of call.unhandled) broken.push(`unhandled rejection ${String(e)}`);
    if (!settled) {
      const at = (peer: ModelPeer) =>
        `${peer.name} ${signalingState(peer.snapshot())}, last error: ${peer.errors.at(-1)?.message ?? 'none'}`;
      liveness.push(
        `never settled (${at(call.a)}; ${at(call.b)}; ${fate.lost} description(s) lost${fate.duplicated ? ', duplicated' : ''}${fate.reordered ? ', reordered' : ''})`,
      );
    }
    const excused =
      profile === 'hostileAll' &&
      (fate.lost >= OFFER_ATTEMPTS || fate.duplicated || fate.reordered);
    if (excused) {
      livenessStats.excused += 1;
      if (liveness.length) livenessStats.excusedFailures += 1;
    } else {
      broken.push(...liveness);
    }

    const hostile = profile === 'hostile' || profile === 'hostileAll';
    if (!hostile) {
      const allowed = profile.startsWith('duplicating') ? ['NEGOTIATION_FAILED'] : [];
      for (const peer of peers) {
        const bad = peer.errors.filter((e) => !allowed.includes(e.code));
        if (bad.length) broken.push(`${peer.name} errors: ${bad.map((e) => e.code).join(', ')}`);
      }
      if (!isConnected(call.a) || !isConnected(call.b)) {
        broken.push(
          `not both connected: ${JSON.stringify([call.a.snapshot().value, call.b.snapshot().value])}`,
        );
      }
      if (sentKinds(call.a).join() !== receivedKinds(call.b).join()) {
        broken.push(`a sends [${sentKinds(call.a)}], b receives [${receivedKinds(call.b)}]`);
      }
      if (sentKinds(call.b).join() !== receivedKinds(call.a).join()) {
        broken.push(`b sends [${sentKinds(call.b)}], a receives [${receivedKinds(call.a)}]`);
      }
      for (const [x, y] of [
        [call.a, call.b],
        [call.b, call.a],
      ] as const) {
        const local = openChannels(x, 'local').join();
        const remote = openChannels(y, 'remote').join();
        if (local !== remote) broken.push(`${x.name} opened [${local}], ${y.name} has [${remote}]`);
      }
      if (profile === 'reliable') {
        for (const [x, y] of [
          [call.a, call.b],
          [call.b, call.a],
        ] as const) {
          const lost = lostCandidates(x, y);
          if (lost.length)
            broken.push(`${lost.length} candidate(s) of ${x.name} lost at ${y.name}`);
          const c = y.snapshot().context.counters;
          if (c.candidatesReceived !== c.candidatesApplied + c.candidatesDiscarded) {
            broken.push(`${y.name} candidates: ${JSON.stringify(c)}`);
          }
        }
      }
      if (profile === 'answersDisordered') {
        // Case 3 as a property: no stray answer ever set a remote ufrag the remote left.
        const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
        for (const [x, y] of [
          [call.a, call.b],
          [call.b, call.a],
        ] as const) {
          const believed = ufrag(x.pc().remoteDescription?.sdp);
          const used = ufrag(y.pc().localDescription?.sdp);
          if (believed !== used)
            broken.push(`${x.name} believes ufrag ${believed}, ${y.name} uses ${used}`);
        }
      }
    } else {
      for (const peer of peers) {
        const snap = peer.snapshot();
        if (
          snap.matches({ active: { signaling: 'stable' } }) &&
          peer.pc().signalingState !== 'stable' &&
          !peer.errors.some((e) => e.code === 'NEGOTIATION_FAILED')
        ) {
          broken.push(`${peer.name} stable while its engine is ${peer.pc().signalingState}`);
        }
      }
    }

    if (s.close) {
      const closer = call[s.close];
      const other = call[s.close === 'a' ? 'b' : 'a'];
      closer.actor.send({ type: 'CLOSE' });
      await call.advance(40);
      if (!hostile && !other.snapshot().matches('closed')) {
        broken.push(`${other.name} not closed after the remote hung up`);
      }
    }
    broken.push(...(await call.closeAndCheckLeaks()));
    return broken;
  } finally {
    call.dispose();
  }
}
