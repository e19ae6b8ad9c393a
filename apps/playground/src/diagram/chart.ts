/**
 * The peer machine as the diagram draws it: its states, its transitions, and the views they are
 * shown in. The machine's, not a peer's: built once.
 * @module
 */
import { peerMachine } from '@peerstatejs/core';
import { type DiagramNode, graphOf } from './machineGraph.js';
import { type DiagramTransition, transitionsOf } from './transitions.js';
import { type DiagramView, viewsOf } from './views.js';

export interface Chart {
  readonly root: DiagramNode;
  readonly transitions: readonly DiagramTransition[];
  readonly views: readonly DiagramView[];
}

let chart: Chart | undefined;

export function peerChart(): Chart {
  if (!chart) {
    const root = graphOf(peerMachine.root);
    const transitions = transitionsOf(peerMachine.root);
    chart = { root, transitions, views: viewsOf(root, transitions) };
  }
  return chart;
}
