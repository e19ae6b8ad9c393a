import { useEffect, useMemo, useRef, useState } from 'react';
import type { TransitionMark } from '../session/select.js';
import { type Layout, LINE, layoutOf, type PlacedEdge } from './layout.js';
import { shortId } from './machineGraph.js';
import type { DiagramTransition } from './transitions.js';
import { type DiagramView, viewFor } from './views.js';

/** Whether a recorded transition is one of this edge's (same source, target and event). */
export function isTransition(transition: DiagramTransition, last: TransitionMark | undefined) {
  return (
    last !== undefined &&
    transition.source === last.from &&
    last.to.includes(transition.target) &&
    // An eventless `always` is taken on whatever event started the macrostep.
    (transition.eventType === last.event || transition.eventType === '')
  );
}

function useLayout(view: DiagramView): Layout | null {
  const [layout, setLayout] = useState<{ view: DiagramView; layout: Layout } | null>(null);
  useEffect(() => {
    let live = true;
    layoutOf(view).then((result) => {
      if (live) setLayout({ view, layout: result });
    });
    return () => {
      live = false;
    };
  }, [view]);
  return layout?.view === view ? layout.layout : null;
}

function Edge({ placed, mark }: { placed: PlacedEdge; mark: 'last' | 'focus' | null }) {
  const { edge, label } = placed;
  const text = placed.label.lines.join('; ');
  // Keyed by transition: two transitions on one edge may share an event.
  const lines: { key: string; text: string }[] = [];
  for (const transition of edge.transitions) {
    lines.push({ key: transition.id, text: transition.event });
    if (transition.guard)
      lines.push({ key: `${transition.id} guard`, text: `[${transition.guard}]` });
  }
  return (
    <g
      className={`edge${mark ? ` is-${mark}` : ''}`}
      data-edge={edge.id}
      data-last={mark === 'last'}
      aria-label={`${shortId(edge.source)} to ${edge.target.startsWith('→') ? edge.target.slice(2) : shortId(edge.target)} on ${text}`}
    >
      <title>{text}</title>
      <path d={placed.path} markerEnd="url(#arrow)" />
      <text className="edge-label" x={label.x + 2} y={label.y}>
        {lines.map((line, n) => (
          <tspan key={line.key} x={label.x + 2} dy={n === 0 ? LINE - 2 : LINE}>
            {line.text}
          </tspan>
        ))}
      </text>
    </g>
  );
}

export interface StateGraphProps {
  readonly views: readonly DiagramView[];
  readonly active: ReadonlySet<string>;
  readonly last: TransitionMark | undefined;
  /** A transition the user points at in the list: its view is shown and its edge marked. */
  readonly focus: DiagramTransition | null;
  readonly label: string;
}

/** One view of the statechart as an ELK-laid-out graph; follows the last transition by default. */
export function StateGraph({ views, active, last, focus, label }: StateGraphProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const followed = focus
    ? viewFor(views, focus.source)
    : last
      ? (viewFor(views, last.to[0] ?? last.from) ?? viewFor(views, last.from))
      : undefined;
  const view =
    views.find((candidate) => candidate.id === chosen) ?? followed ?? (views[0] as DiagramView);
  const layout = useLayout(view);
  const box = useRef<HTMLDivElement>(null);
  const marks = useMemo(() => {
    const out = new Map<string, 'last' | 'focus'>();
    for (const edge of view.edges) {
      if (focus && edge.transitions.includes(focus)) out.set(edge.id, 'focus');
      else if (edge.transitions.some((t) => isTransition(t, last))) out.set(edge.id, 'last');
    }
    return out;
  }, [view, last, focus]);

  // Keep the marked edge (or the newest active state) in view, scrolling the box, not the page.
  const target = [...marks.keys()][0] ?? null;
  useEffect(() => {
    const element = box.current;
    if (!element || !layout || !target) return;
    const edge = element.querySelector<SVGGElement>(`[data-edge="${CSS.escape(target)}"]`);
    if (!edge) return;
    const bounds = edge.getBBox();
    element.scrollLeft = bounds.x + bounds.width / 2 - element.clientWidth / 2;
    element.scrollTop = bounds.y + bounds.height / 2 - element.clientHeight / 2;
  }, [layout, target]);

  return (
    <div className="state-graph">
      <fieldset className="view-picker plain">
        <legend className="visually-hidden">{label}: view</legend>
        <button type="button" aria-pressed={chosen === null} onClick={() => setChosen(null)}>
          follow
        </button>
        {views.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            aria-pressed={chosen === candidate.id}
            className={candidate === view ? 'view-choice shown' : 'view-choice'}
            onClick={() => setChosen(candidate.id)}
          >
            {candidate.title}
          </button>
        ))}
      </fieldset>
      <div className="graph-box" ref={box} data-testid="state-graph" data-view={view.id}>
        {layout ? (
          <svg
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="img"
            aria-label={`${label}, ${view.title}: ${layout.states.length} states, ${layout.edges.length} edges`}
          >
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 8 8"
                refX="7"
                refY="4"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path className="arrowhead" d="M0,0 L8,4 L0,8 z" />
              </marker>
            </defs>
            {layout.states.map((state) => {
              const isActive = active.has(state.id);
              const compound = (state.node?.children.length ?? 0) > 0;
              const classes = ['node', compound ? 'compound' : 'leaf'];
              if (!state.node) classes.push('stub');
              if (isActive) classes.push('is-active');
              if (last?.to.includes(state.id)) classes.push('is-to');
              return (
                <g
                  key={state.id}
                  className={classes.join(' ')}
                  data-node-id={state.id}
                  data-active={isActive}
                >
                  <rect
                    x={state.x}
                    y={state.y}
                    width={state.width}
                    height={state.height}
                    rx={compound ? 6 : 12}
                  />
                  <text
                    x={state.x + (compound ? 8 : state.width / 2)}
                    y={state.y + (compound ? 16 : state.height / 2 + 4)}
                    textAnchor={compound ? 'start' : 'middle'}
                  >
                    {state.node?.initial ? '● ' : ''}
                    {state.node
                      ? state.node.key + (state.node.type === 'parallel' ? ' ∥' : '')
                      : state.id}
                  </text>
                </g>
              );
            })}
            {layout.edges.map((placed) => (
              <Edge key={placed.edge.id} placed={placed} mark={marks.get(placed.edge.id) ?? null} />
            ))}
          </svg>
        ) : (
          <p className="muted">Laying out {view.title}…</p>
        )}
      </div>
    </div>
  );
}
