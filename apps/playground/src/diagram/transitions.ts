/**
 * Every transition of a machine, one per (source, target), with its event and guard: the edges
 * of the drawn statechart and the keyboard list of what can happen next. Read from the machine's
 * own definition, like the states.
 * @module
 */
import type { AnyStateMachine } from 'xstate';
import { eventLabel } from './machineGraph.js';

type AnyStateNode = AnyStateMachine['root'];

export interface DiagramTransition {
  /** Unique within the machine: `source→target#n`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The event type as XState knows it (`''` for an eventless `always`). */
  readonly eventType: string;
  /** {@link eventLabel} of it. */
  readonly event: string;
  /** The guard, readable (`canResendOffer`, `!isBye`, `in active.connection.connected`), or null. */
  readonly guard: string | null;
}

interface GuardLike {
  readonly name?: string;
  readonly type?: string;
  readonly guards?: readonly unknown[];
  readonly stateValue?: unknown;
}

/**
 * A guard as text. XState keeps a named guard as its name (or `{ type }`), and the combinators
 * `not`/`and`/`or`/`stateIn` as functions carrying their operands (`guards`, `stateValue`).
 */
export function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  const like = guard as GuardLike;
  if (typeof guard === 'object' && typeof like.type === 'string') return like.type;
  if (typeof guard !== 'function') return 'guard';
  const operands = (like.guards ?? []).map((inner) => guardLabel(inner) ?? '?');
  switch (like.name) {
    case 'not':
      return `!${operands[0] ?? '?'}`;
    case 'and':
      return operands.join(' && ');
    case 'or':
      return operands.join(' || ');
    case 'stateIn':
      return `in ${typeof like.stateValue === 'string' ? like.stateValue : JSON.stringify(like.stateValue)}`;
    default:
      return like.name || 'guard';
  }
}

/** The transitions leaving `node` and its descendants, in document order. */
export function transitionsOf(root: AnyStateNode): DiagramTransition[] {
  const out: DiagramTransition[] = [];
  const seen = new Map<string, number>();
  const walk = (node: AnyStateNode) => {
    const add = (
      eventType: string,
      transition: {
        readonly target?: readonly AnyStateNode[] | undefined;
        readonly guard?: unknown;
      },
    ) => {
      for (const target of transition.target ?? []) {
        const key = `${node.id}→${target.id}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        out.push({
          id: `${key}#${n}`,
          source: node.id,
          target: target.id,
          eventType,
          event: eventLabel(eventType),
          guard: guardLabel(transition.guard),
        });
      }
    };
    for (const [eventType, transitions] of node.transitions) {
      for (const transition of transitions) add(eventType, transition);
    }
    for (const transition of node.always ?? []) add('', transition);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(root);
  return out;
}

/** `event [guard]`, as an edge is labelled. */
export function transitionLabel(transition: DiagramTransition): string {
  return transition.guard ? `${transition.event} [${transition.guard}]` : transition.event;
}

/** The transitions that can leave the active states now (an ancestor's included). */
export function transitionsFrom(
  transitions: readonly DiagramTransition[],
  active: ReadonlySet<string>,
): DiagramTransition[] {
  return transitions.filter((transition) => active.has(transition.source));
}
