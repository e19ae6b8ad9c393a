/**
 * The statechart split into views a column can show legibly: the top level (each parallel state
 * drawn as one box) and one view per region of a parallel state. A transition leaving a view
 * ends on a stub naming its target, so no edge is lost, only drawn where it is readable.
 * @module
 */
import { type DiagramNode, shortId } from './machineGraph.js';
import type { DiagramTransition } from './transitions.js';

export interface ViewEdge {
  /** Unique within the view. */
  readonly id: string;
  /** A drawn state of the view. */
  readonly source: string;
  /** A drawn state, or the id of a stub (`→ <state id>`) for a target outside the view. */
  readonly target: string;
  readonly transitions: readonly DiagramTransition[];
}

export interface DiagramView {
  /** The focus state's id (the root for the top level, a region otherwise). */
  readonly id: string;
  readonly title: string;
  /** The focus node; descendants under a parallel state are cut off (it has views of its own). */
  readonly root: DiagramNode;
  /** Every state id drawn, the focus excluded. */
  readonly drawn: ReadonlySet<string>;
  readonly stubs: readonly string[];
  readonly edges: readonly ViewEdge[];
}

export const STUB = '→ ';

/** The focus node with each parallel descendant's regions removed (drawn as one box). */
function cut(node: DiagramNode, top: boolean): DiagramNode {
  if (!top && node.type === 'parallel') return { ...node, children: [] };
  return { ...node, children: node.children.map((child) => cut(child, false)) };
}

function ids(node: DiagramNode, into: Set<string>): Set<string> {
  for (const child of node.children) {
    into.add(child.id);
    ids(child, into);
  }
  return into;
}

/** The drawn state standing for `id`: itself, or its nearest drawn ancestor. */
function representative(id: string, drawn: ReadonlySet<string>): string | undefined {
  for (let at = id; at.includes('.'); at = at.slice(0, at.lastIndexOf('.'))) {
    if (drawn.has(at)) return at;
  }
  return undefined;
}

function viewOf(
  focus: DiagramNode,
  title: string,
  transitions: readonly DiagramTransition[],
): DiagramView {
  const root = cut(focus, true);
  const drawn = ids(root, new Set());
  const inside = (id: string) => id.startsWith(`${focus.id}.`);
  const edges = new Map<
    string,
    { source: string; target: string; transitions: DiagramTransition[] }
  >();
  const stubs: string[] = [];
  for (const transition of transitions) {
    if (!inside(transition.source)) continue;
    const source = representative(transition.source, drawn);
    if (!source) continue;
    let target = inside(transition.target) ? representative(transition.target, drawn) : undefined;
    if (!target) {
      target = `${STUB}${shortId(transition.target)}`;
      if (!stubs.includes(target)) stubs.push(target);
    } else if (target === source && transition.source !== transition.target) {
      continue; // Inside a box drawn whole: its own view shows it.
    }
    const key = `${source}→${target}`;
    const edge = edges.get(key) ?? { source, target, transitions: [] };
    edge.transitions.push(transition);
    edges.set(key, edge);
  }
  return {
    id: focus.id,
    title,
    root,
    drawn,
    stubs,
    edges: [...edges.entries()].map(([id, edge]) => ({ id, ...edge })),
  };
}

/** The top level, then every region of every parallel state, in document order. */
export function viewsOf(
  root: DiagramNode,
  transitions: readonly DiagramTransition[],
): DiagramView[] {
  const views = [viewOf(root, root.key, transitions)];
  const walk = (node: DiagramNode) => {
    for (const child of node.children) {
      if (node.type === 'parallel') views.push(viewOf(child, shortId(child.id), transitions));
      walk(child);
    }
  };
  walk(root);
  return views;
}

/** The view that draws `stateId` deepest (a region's view over the top level). */
export function viewFor(views: readonly DiagramView[], stateId: string): DiagramView | undefined {
  let best: DiagramView | undefined;
  for (const view of views) {
    if (view.drawn.has(stateId) && (!best || view.id.length > best.id.length)) best = view;
  }
  return best;
}
