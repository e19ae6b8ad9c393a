/**
 * Lays a view of the statechart out with ELK (elkjs, layered, hierarchy included): states as
 * boxes nested in their parents, transitions as routed edges labelled `event [guard]`. A layout
 * is the machine's, not a peer's: computed once per view and shared; each peer only colours it.
 * @module
 */
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { DiagramNode } from './machineGraph.js';
import type { DiagramView, ViewEdge } from './views.js';

/** Pixels per character of the 11 px labels: what ELK sizes boxes and labels with. */
const CHAR = 6.2;
export const LINE = 13;

export interface PlacedState {
  /** A state id, or a stub's (`→ …`). */
  readonly id: string;
  readonly node: DiagramNode | null;
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly edge: ViewEdge;
  /** The SVG path, absolute coordinates. */
  readonly path: string;
  /** One line per transition, `event [guard]`; x, y of the label box's top left. */
  readonly label: { readonly lines: readonly string[]; readonly x: number; readonly y: number };
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  /** Outer states first, so inner ones are drawn on top. */
  readonly states: readonly PlacedState[];
  readonly edges: readonly PlacedEdge[];
}

function elkNode(node: DiagramNode): ElkNode {
  const label = node.key.length * CHAR + 18;
  if (node.children.length === 0) {
    const parallel = node.type === 'parallel' ? 1 : 0;
    return { id: node.id, width: label + parallel * 20, height: 26 };
  }
  return {
    id: node.id,
    layoutOptions: {
      'elk.padding': '[top=24,left=10,bottom=10,right=10]',
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${label}, 40)`,
    },
    children: node.children.map(elkNode),
  };
}

/** Per transition, its event, then its guard on a line of its own (narrow edges pack closer). */
export function labelLines(edge: ViewEdge): string[] {
  return edge.transitions.flatMap((transition) =>
    transition.guard ? [transition.event, `[${transition.guard}]`] : [transition.event],
  );
}

/** The ELK input graph of a view. */
export function elkGraph(view: DiagramView): ElkNode {
  const edges: ElkExtendedEdge[] = view.edges.map((edge) => {
    const lines = labelLines(edge);
    return {
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      labels: [
        {
          text: lines.join('\n'),
          width: Math.max(...lines.map((line) => line.length)) * CHAR + 4,
          height: lines.length * LINE + 2,
        },
      ],
    };
  });
  return {
    id: view.id,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '24',
      'elk.spacing.nodeNode': '16',
      'elk.spacing.edgeLabel': '2',
      'elk.spacing.edgeEdge': '8',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: [
      ...view.root.children.map(elkNode),
      ...view.stubs.map((id) => ({ id, width: id.length * CHAR + 14, height: 22 })),
    ],
    edges,
  };
}

/** Positions (ELK's are relative to the parent) made absolute. */
function place(layout: ElkNode, view: DiagramView): Layout {
  const states: PlacedState[] = [];
  const origin = new Map<string, { x: number; y: number }>([[view.id, { x: 0, y: 0 }]]);
  const byId = new Map<string, DiagramNode>();
  const index = (node: DiagramNode) => {
    byId.set(node.id, node);
    node.children.forEach(index);
  };
  index(view.root);
  const walk = (elk: ElkNode, x0: number, y0: number, depth: number) => {
    for (const child of elk.children ?? []) {
      const x = x0 + (child.x ?? 0);
      const y = y0 + (child.y ?? 0);
      origin.set(child.id, { x, y });
      const node = byId.get(child.id) ?? null;
      states.push({
        id: child.id,
        node,
        depth,
        x,
        y,
        width: child.width ?? 0,
        height: child.height ?? 0,
      });
      walk(child, x, y, depth + 1);
    }
  };
  walk(layout, 0, 0, 0);
  const byEdge = new Map(view.edges.map((edge) => [edge.id, edge]));
  const edges: PlacedEdge[] = [];
  for (const elkEdge of layout.edges ?? []) {
    const edge = byEdge.get(elkEdge.id);
    const section = elkEdge.sections?.[0];
    if (!edge || !section) continue;
    const { x: ox, y: oy } = origin.get(elkEdge.container ?? view.id) ?? { x: 0, y: 0 };
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    const path = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${(p.x + ox).toFixed(1)},${(p.y + oy).toFixed(1)}`)
      .join(' ');
    const label = elkEdge.labels?.[0];
    edges.push({
      edge,
      path,
      label: { lines: labelLines(edge), x: (label?.x ?? 0) + ox, y: (label?.y ?? 0) + oy },
    });
  }
  states.sort((a, b) => a.depth - b.depth);
  return { width: layout.width ?? 0, height: layout.height ?? 0, states, edges };
}

const cache = new WeakMap<DiagramView, Promise<Layout>>();
let elk: Promise<ELK> | undefined;

/**
 * The layout of a view, computed once (ELK takes a moment on a busy region). ELK itself (most of
 * the page's script) loads on the first layout, so the page shows before it arrives.
 */
export function layoutOf(view: DiagramView): Promise<Layout> {
  let promise = cache.get(view);
  if (!promise) {
    elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
    promise = elk
      .then((engine) => engine.layout(elkGraph(view)))
      .then((result) => place(result, view));
    cache.set(view, promise);
  }
  return promise;
}
