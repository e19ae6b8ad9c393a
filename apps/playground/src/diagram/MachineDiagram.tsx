import type { ReactNode } from 'react';
import type { TransitionMark } from '../session/select.js';
import type { ActiveStates, DiagramNode } from './machineGraph.js';
import { eventLabel, shortId } from './machineGraph.js';

interface Marks {
  readonly active: ActiveStates;
  readonly last: TransitionMark | undefined;
}

function stateClass(node: DiagramNode, marks: Marks): string {
  const classes = ['state', `state-${node.type}`];
  if (marks.active.ids.has(node.id)) classes.push('is-active');
  if (marks.last?.from === node.id) classes.push('is-from');
  if (marks.last?.to.includes(node.id)) classes.push('is-to');
  return classes.join(' ');
}

function tooltip(node: DiagramNode): string {
  const lines = node.edges.map((edge) => `${edge.event} → ${edge.targets.join(' | ')}`);
  return [shortId(node.id) + (node.initial ? ' (initial)' : ''), ...lines].join('\n');
}

function Label({ node }: { node: DiagramNode }) {
  return (
    <span className="state-label">
      {node.initial ? (
        <span className="initial" role="img" aria-label="initial">
          ●
        </span>
      ) : null}
      {node.key}
    </span>
  );
}

/** Remounts a state on every new transition into it, which restarts its arrival animation. */
function boxKey(node: DiagramNode, marks: Marks): string {
  return marks.last?.to.includes(node.id) ? `${node.id}@${marks.last.seq}` : node.id;
}

function StateBox({ node, marks }: { node: DiagramNode; marks: Marks }): ReactNode {
  const active = marks.active.ids.has(node.id);
  if (node.children.length === 0) {
    return (
      <li
        className={stateClass(node, marks)}
        data-state-id={node.id}
        data-active={active}
        aria-current={active ? 'true' : undefined}
        title={tooltip(node)}
      >
        <Label node={node} />
      </li>
    );
  }
  return (
    <li
      className={stateClass(node, marks)}
      data-state-id={node.id}
      data-active={active}
      title={tooltip(node)}
    >
      <Label node={node} />
      {node.type === 'parallel' ? <span className="parallel-mark"> ∥ parallel</span> : null}
      <Children node={node} marks={marks} />
    </li>
  );
}

/**
 * Parallel regions side by side; in a compound state, runs of simple states stack in a column
 * and nested machines sit beside them, in document order.
 */
function Children({ node, marks }: { node: DiagramNode; marks: Marks }) {
  if (node.type === 'parallel') {
    return (
      <ul className="regions">
        {node.children.map((child) => (
          <StateBox key={boxKey(child, marks)} node={child} marks={marks} />
        ))}
      </ul>
    );
  }
  const groups: DiagramNode[][] = [];
  for (const child of node.children) {
    const last = groups.at(-1);
    const simple = child.children.length === 0;
    if (simple && last && last[0]?.children.length === 0) last.push(child);
    else groups.push([child]);
  }
  return (
    <ul className="substates">
      {groups.map((group) =>
        group.length === 1 && group[0] && group[0].children.length > 0 ? (
          <StateBox key={boxKey(group[0], marks)} node={group[0]} marks={marks} />
        ) : (
          <li key={group[0]?.id} className="stack">
            <ul>
              {group.map((child) => (
                <StateBox key={boxKey(child, marks)} node={child} marks={marks} />
              ))}
            </ul>
          </li>
        ),
      )}
    </ul>
  );
}

export interface MachineDiagramProps {
  readonly root: DiagramNode;
  readonly active: ActiveStates;
  readonly last: TransitionMark | undefined;
  readonly lastAt: number | undefined;
  readonly label: string;
}

/** The machine drawn from its definition, active states highlighted, last transition marked. */
export function MachineDiagram({ root, active, last, lastAt, label }: MachineDiagramProps) {
  const marks = { active, last };
  return (
    <figure className="diagram" aria-label={label} data-testid="diagram">
      <Children node={root} marks={marks} />
      <figcaption data-testid="last-transition">
        {last ? (
          <>
            Last transition{lastAt === undefined ? '' : ` at +${lastAt.toFixed(1)} ms`}:{' '}
            <code>{shortId(last.from)}</code> → <code>{last.to.map(shortId).join(', ')}</code> on{' '}
            <code title={last.event}>{eventLabel(last.event)}</code>
          </>
        ) : (
          'No transition yet'
        )}
        {active.unknown.length > 0 ? (
          <span className="warning">
            {' '}
            · states not in this machine version: {active.unknown.map(shortId).join(', ')}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
