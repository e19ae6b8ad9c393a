import { peerMachine } from '@peerstatejs/core';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { activeStates, countNodes, eventLabel, graphOf } from '../diagram/machineGraph.js';

describe('graphOf', () => {
  it('draws whatever machine it is given: no state name is built in', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { on: { GO: 'b' } },
        b: {
          type: 'parallel',
          states: {
            left: { initial: 'x', states: { x: { after: { 100: 'y' } }, y: {} } },
            right: { initial: 'z', states: { z: {} } },
          },
        },
      },
    });
    const graph = graphOf(machine.root);
    expect(graph.children.map((child) => child.key)).toEqual(['a', 'b']);
    const b = graph.children[1];
    expect(b?.type).toBe('parallel');
    expect(b?.children.map((region) => region.children.map((s) => s.id))).toEqual([
      ['m.b.left.x', 'm.b.left.y'],
      ['m.b.right.z'],
    ]);
    expect(graph.children[0]?.edges).toEqual([{ event: 'GO', targets: ['b'] }]);
    expect(b?.children[0]?.children[0]?.edges).toEqual([{ event: 'after 100', targets: ['y'] }]);
    expect(graph.children[0]?.initial).toBe(true);
    expect(countNodes(graph)).toBe(8);
  });

  it('has every state node of the peer machine', () => {
    const ids: string[] = [];
    const walk = (node: typeof peerMachine.root) => {
      ids.push(node.id);
      for (const child of Object.values(node.states)) walk(child);
    };
    walk(peerMachine.root);
    const graph = graphOf(peerMachine.root);
    const drawn: string[] = [];
    const collect = (node: ReturnType<typeof graphOf>) => {
      drawn.push(node.id);
      node.children.forEach(collect);
    };
    collect(graph);
    expect(drawn).toEqual(ids);
  });
});

describe('activeStates', () => {
  const graph = graphOf(peerMachine.root);

  it('marks the states of a recorded value, regions included', () => {
    const { ids, unknown } = activeStates(graph, {
      active: { signaling: 'stable', connection: 'connected', renegotiation: 'idle' },
    });
    expect(unknown).toEqual([]);
    expect(ids.has('peer.active.connection.connected')).toBe(true);
    expect(ids.has('peer.active.signaling')).toBe(true);
    expect(ids.has('peer.active.connection.new')).toBe(false);
  });

  it('reports states a session from another machine version has and this one lacks', () => {
    expect(activeStates(graph, { active: { signaling: 'teleporting' } }).unknown).toEqual([
      'peer.active.signaling.teleporting',
    ]);
  });
});

describe('eventLabel', () => {
  it('shortens XState generated event names', () => {
    expect(eventLabel('xstate.after.answerTimeout.peer.active.signaling.haveLocalOffer')).toBe(
      'after answerTimeout',
    );
    expect(eventLabel('xstate.done.actor.0.peer.active.signaling.answering')).toBe(
      'done: signaling.answering',
    );
    expect(eventLabel('RESTART_ICE')).toBe('RESTART_ICE');
  });
});
