/**
 * The machine with the fixes this suite proposes (see the report), built from `peerMachine`'s own
 * config and implementations, so that tests can show a fix works before it is applied to
 * src/machine/peerMachine.ts. Nothing here is used by the shipped machine.
 *
 * Bug 2: when a `connection` region state handles `pc.statesChanged`, XState v5 does not also
 * run the `active` state's handler for the same event (a parallel state's own transitions are
 * taken only when no region handles the event), so `context.pcStates` misses exactly the
 * reports that change the connection state. Fix: store the states on those transitions too.
 *
 * Bug 1: `restartingIce` returns to `connected` on any report whose connection is `connected`,
 * including the signalingstatechange of its own restart offer. Fix: `connectionIs` holds only
 * when the connection *changes* to that state (guards run before the step's actions, so
 * `context.pcStates` is the previous report once bug 2 is fixed).
 */
import { assign, createMachine, type MachineConfig } from 'xstate';
import { peerMachine } from '../../machine/peerMachine.js';
import type { PeerContext, PeerEvent } from '../../machine/types.js';

type Json = { [key: string]: unknown };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withStoredStates(transition: unknown): unknown {
  if (!isRecord(transition)) return transition;
  const actions = transition.actions;
  const list = actions === undefined ? [] : Array.isArray(actions) ? actions : [actions];
  return { ...transition, actions: ['storePcStates', ...list] };
}

export function machineWithProposedFixes(): typeof peerMachine {
  const config = peerMachine.config as unknown as Json;
  const states = config.states as Json;
  const active = states.active as Json;
  const regions = active.states as Json;
  const connection = regions.connection as Json;
  const connectionStates = connection.states as Json;
  const patched: Json = {};
  for (const [name, node] of Object.entries(connectionStates)) {
    if (!isRecord(node)) continue;
    const on = (node.on ?? {}) as Json;
    const handler = on['pc.statesChanged'];
    const fixed = Array.isArray(handler)
      ? handler.map(withStoredStates)
      : handler === undefined
        ? undefined
        : withStoredStates(handler);
    patched[name] = { ...node, on: { ...on, ...(fixed ? { 'pc.statesChanged': fixed } : {}) } };
  }
  const fixedConfig = {
    ...config,
    states: {
      ...states,
      active: {
        ...active,
        states: { ...regions, connection: { ...connection, states: patched } },
      },
    },
  };
  const implementations = peerMachine.implementations;
  return createMachine(
    fixedConfig as unknown as MachineConfig<PeerContext, PeerEvent>,
    {
      ...implementations,
      actions: {
        ...implementations.actions,
        storePcStates: assign(({ event }: { event: PeerEvent }) =>
          event.type === 'pc.statesChanged' ? { pcStates: event.states } : {},
        ),
      },
      guards: {
        ...implementations.guards,
        connectionIs: (
          { context, event }: { context: PeerContext; event: PeerEvent },
          params: { state: RTCPeerConnectionState },
        ) =>
          event.type === 'pc.statesChanged' &&
          event.states.connection === params.state &&
          context.pcStates.connection !== params.state,
      },
    } as never,
  ) as unknown as typeof peerMachine;
}
