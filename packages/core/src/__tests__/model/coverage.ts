/**
 * Coverage of the peer machine's own definition: every state node and every transition
 * (`on`, `always`, `after`, invoke `onDone`/`onError`, each guarded candidate on its own), read
 * from `machine.root`, and a recorder that marks them as XState's inspection reports them taken.
 */
import type {
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
  InspectionEvent,
  StateValue,
} from 'xstate';

/** One transition of the definition: `source --event[index]--> targets`. */
export interface TransitionTarget {
  /** Stable key, e.g. `peer.active.connection.new | pc.statesChanged #2 → connected`. */
  readonly key: string;
  readonly source: string;
  readonly event: string;
  readonly index: number;
  readonly targets: readonly string[];
  readonly guard: string | null;
}

export interface MachineTargets {
  /** Every state node id except the root. */
  readonly states: readonly string[];
  readonly transitions: readonly TransitionTarget[];
}

function allStateNodes(root: AnyStateNode): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    nodes.push(node);
    for (const child of Object.values(node.states)) visit(child as AnyStateNode);
  };
  visit(root);
  return nodes;
}

function guardName(transition: AnyTransitionDefinition): string | null {
  const { guard } = transition;
  if (guard === undefined) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'inline';
  return String((guard as { type?: unknown }).type ?? 'inline');
}

/** A negotiation step's result events (machine/actors/negotiation.ts): done or error. */
const STEP_RESULTS: Readonly<Record<string, 'done' | 'error'>> = {
  'pc.stepDone': 'done',
  'pc.stepFailed': 'error',
};

/**
 * Shortens XState's generated event names: `xstate.done.actor.0.peer.active.x` → `done(x)`; a
 * negotiation step's result in state `x` reads the same way.
 */
function eventLabel(event: string, node: AnyStateNode): string {
  const step = STEP_RESULTS[event];
  if (step) return `${step}(${node.id.split('.').at(-1)})`;
  const done = /^xstate\.(done|error)\.actor\.\d+\.(.+)$/.exec(event);
  if (done) return `${done[1]}(${done[2]?.split('.').at(-1)})`;
  const after = /^xstate\.after\.([^.]+)\./.exec(event);
  if (after) return `after(${after[1]})`;
  return event;
}

const cache = new WeakMap<AnyStateMachine, Map<AnyTransitionDefinition, TransitionTarget>>();

function transitionIndex(machine: AnyStateMachine): Map<AnyTransitionDefinition, TransitionTarget> {
  const known = cache.get(machine);
  if (known) return known;
  const index = new Map<AnyTransitionDefinition, TransitionTarget>();
  const add = (node: AnyStateNode, event: string, list: readonly AnyTransitionDefinition[]) => {
    list.forEach((transition, i) => {
      const targets = (transition.target ?? []).map((t: AnyStateNode) => t.id);
      const guard = guardName(transition);
      const label = eventLabel(event, node);
      const to = targets.length ? targets.map((t: string) => t.split('.').at(-1)).join(',') : '∅';
      index.set(transition, {
        key: `${node.id} | ${label}${list.length > 1 ? ` #${i}` : ''}${guard ? ` [${guard}]` : ''} → ${to}`,
        source: node.id,
        event: label,
        index: i,
        targets,
        guard,
      });
    });
  };
  for (const node of allStateNodes(machine.root)) {
    for (const [event, list] of node.transitions) add(node, event, list);
    if (node.always) add(node, 'always', node.always);
  }
  cache.set(machine, index);
  return index;
}

/** Every state node and transition of `machine`, from its definition. */
export function machineTargets(machine: AnyStateMachine): MachineTargets {
  const states = allStateNodes(machine.root)
    .filter((node) => node !== machine.root)
    .map((node) => node.id);
  return { states, transitions: [...transitionIndex(machine).values()] };
}

/** Ids of the state nodes a state value is in (ancestors included). */
export function activeStateIds(machine: AnyStateMachine, value: StateValue): string[] {
  const ids: string[] = [];
  const visit = (node: AnyStateNode, v: StateValue) => {
    if (typeof v === 'string') {
      const child = node.states[v] as AnyStateNode | undefined;
      if (child) ids.push(child.id);
      return;
    }
    for (const [key, sub] of Object.entries(v)) {
      const child = node.states[key] as AnyStateNode | undefined;
      if (!child || sub === undefined) continue;
      ids.push(child.id);
      visit(child, sub as StateValue);
    }
  };
  visit(machine.root, value);
  return ids;
}

interface MachineSnapshotLike {
  readonly machine: AnyStateMachine;
  readonly value: StateValue;
}

function isMachineSnapshot(value: unknown): value is MachineSnapshotLike {
  return typeof value === 'object' && value !== null && 'machine' in value && 'value' in value;
}

/** Counts the states entered and the transitions taken by every actor it inspects. */
export class CoverageRecorder {
  readonly states = new Map<string, number>();
  readonly transitions = new Map<string, number>();

  /** Pass as `inspect` to `createPeer`/`createActor`. */
  readonly inspect = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return;
    const { snapshot } = event;
    if (!isMachineSnapshot(snapshot)) return;
    for (const id of activeStateIds(snapshot.machine, snapshot.value)) {
      this.states.set(id, (this.states.get(id) ?? 0) + 1);
    }
    if (event.type !== '@xstate.microstep') return;
    const index = transitionIndex(snapshot.machine);
    for (const transition of event._transitions) {
      const target = index.get(transition);
      if (!target) continue;
      this.transitions.set(target.key, (this.transitions.get(target.key) ?? 0) + 1);
    }
  };

  /** Merges another recorder into this one. */
  merge(other: CoverageRecorder): void {
    for (const [k, n] of other.states) this.states.set(k, (this.states.get(k) ?? 0) + n);
    for (const [k, n] of other.transitions) {
      this.transitions.set(k, (this.transitions.get(k) ?? 0) + n);
    }
  }

  report(targets: MachineTargets): CoverageReport {
    const missedStates = targets.states.filter((id) => !this.states.has(id));
    const missedTransitions = targets.transitions
      .map((t) => t.key)
      .filter((key) => !this.transitions.has(key));
    return {
      states: { total: targets.states.length, hit: targets.states.length - missedStates.length },
      transitions: {
        total: targets.transitions.length,
        hit: targets.transitions.length - missedTransitions.length,
      },
      missedStates,
      missedTransitions,
    };
  }
}

export interface CoverageReport {
  readonly states: { readonly total: number; readonly hit: number };
  readonly transitions: { readonly total: number; readonly hit: number };
  readonly missedStates: readonly string[];
  readonly missedTransitions: readonly string[];
}

export function formatCoverage(report: CoverageReport): string {
  const pct = (x: { total: number; hit: number }) =>
    `${x.hit}/${x.total} (${((100 * x.hit) / x.total).toFixed(1)} %)`;
  const lines = [`states ${pct(report.states)}, transitions ${pct(report.transitions)}`];
  for (const s of report.missedStates) lines.push(`  missed state: ${s}`);
  for (const t of report.missedTransitions) lines.push(`  missed transition: ${t}`);
  return lines.join('\n');
}
