import { peerMachine } from '@peerstatejs/core';
import { describe, expect, it } from 'vitest';
import { createMachine, not, stateIn } from 'xstate';
import { layoutOf } from '../diagram/layout.js';
import { graphOf } from '../diagram/machineGraph.js';
import { guardLabel, transitionLabel, transitionsOf } from '../diagram/transitions.js';
import { viewsOf } from '../diagram/views.js';

describe('transitionsOf', () => {
  it('lists one edge per target with its event and guard', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: {
          on: { GO: [{ target: 'b', guard: 'ready' }, { target: 'c' }] },
          after: { 100: { target: 'c', guard: not('ready') } },
        },
        b: { always: { target: 'c', guard: stateIn('#m.a') } },
        c: {},
      },
    });
    const labels = transitionsOf(machine.root).map(
      (t) => `${t.source}→${t.target}: ${transitionLabel(t)}`,
    );
    expect(labels).toEqual([
      'm.a→m.b: GO [ready]',
      'm.a→m.c: GO',
      'm.a→m.c: after 100 [!ready]',
      'm.b→m.c: always [in #m.a]',
    ]);
    expect(guardLabel(undefined)).toBeNull();
  });
});

describe('the peer machine, view by view', () => {
  const root = graphOf(peerMachine.root);
  const transitions = transitionsOf(peerMachine.root);
  const views = viewsOf(root, transitions);

  it('has the top level and one view per region of the parallel state', () => {
    expect(views.map((view) => view.id)).toEqual([
      'peer',
      ...(root.children.find((child) => child.type === 'parallel')?.children ?? []).map(
        (r) => r.id,
      ),
    ]);
  });

  it('draws every transition in some view, with its label', () => {
    const shown = new Set(
      views.flatMap((view) => view.edges.flatMap((edge) => edge.transitions.map((t) => t.id))),
    );
    const missing = transitions.filter((t) => t.source !== root.id && !shown.has(t.id));
    expect(missing.map((t) => t.id)).toEqual([]);
  });

  it('lays each view out with routed, labelled edges', async () => {
    for (const view of views) {
      const layout = await layoutOf(view);
      expect(layout.edges.length).toBe(view.edges.length);
      for (const placed of layout.edges) {
        expect(placed.path).toMatch(/^M[\d.-]+,[\d.-]+( L[\d.-]+,[\d.-]+)+$/);
        expect(placed.label.lines.join(' ')).toBe(
          placed.edge.transitions.map(transitionLabel).join(' '),
        );
      }
      for (const state of layout.states) {
        expect(state.x + state.width).toBeLessThanOrEqual(layout.width + 0.5);
      }
    }
  });
});
