/**
 * The diagram's model, read from a machine's own definition: no state name is written here, so
 * the diagram follows the machine when it changes.
 * @module
 */

import type { Json } from '@peerstatejs/core/recorder';
import type { AnyStateMachine } from 'xstate';

type AnyStateNode = AnyStateMachine['root'];

export interface DiagramEdge {
  /** A readable event: `pc.statesChanged`, `after disconnectedGracePeriod`, `always`. */
  readonly event: string;
  readonly targets: readonly string[];
}

export interface DiagramNode {
  readonly id: string;
  readonly key: string;
  readonly type: AnyStateNode['type'];
  /** The initial child of its parent. */
  readonly initial: boolean;
  readonly children: readonly DiagramNode[];
  /** Transitions leaving this state that go to another state. */
  readonly edges: readonly DiagramEdge[];
  /** The state's tags (what the SDK's `peerView` derives the phase from). */
  readonly tags: readonly string[];
}

/**
 * A readable event name. XState names delayed transitions `xstate.after.<delay>.<state id>` and
 * invoked actors' results `xstate.done.actor.<n>.<state id>`: keep the delay, and the state.
 */
export function eventLabel(eventType: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  const done = /^xstate\.(done|error)\.actor\.\d+\.(.+)$/.exec(eventType);
  if (done) return `${done[1]}: ${(done[2] ?? '').split('.').slice(-2).join('.')}`;
  return eventType === '' ? 'always' : eventType;
}

function edgesOf(node: AnyStateNode): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const add = (event: string, targets: readonly AnyStateNode[] | undefined) => {
    if (!targets?.length) return;
    const keys = targets.map((target) => target.key);
    const existing = edges.find((edge) => edge.event === event);
    if (existing) {
      (existing.targets as string[]).push(...keys.filter((key) => !existing.targets.includes(key)));
    } else {
      edges.push({ event, targets: keys });
    }
  };
  for (const [eventType, transitions] of node.transitions) {
    for (const transition of transitions) add(eventLabel(eventType), transition.target);
  }
  for (const transition of node.always ?? []) add('always', transition.target);
  return edges;
}

/** Walks a machine's state nodes, in document order. */
export function graphOf(node: AnyStateNode): DiagramNode {
  const initialTargets = node.parent?.initial?.target ?? [];
  return {
    id: node.id,
    key: node.key,
    type: node.type,
    initial: initialTargets.includes(node),
    children: Object.values(node.states).map((child) => graphOf(child)),
    edges: edgesOf(node),
    tags: [...node.tags],
  };
}

export function countNodes(node: DiagramNode): number {
  return node.children.reduce((total, child) => total + countNodes(child), 1);
}

export interface ActiveStates {
  readonly ids: ReadonlySet<string>;
  /** Parts of a recorded state value this machine does not have (a session from another version). */
  readonly unknown: readonly string[];
}

/** The state nodes a recorded state value makes active. */
export function activeStates(root: DiagramNode, value: Json | undefined): ActiveStates {
  const ids = new Set<string>();
  const unknown: string[] = [];
  const walk = (node: DiagramNode, part: Json | undefined) => {
    ids.add(node.id);
    if (typeof part === 'string') {
      const child = node.children.find((candidate) => candidate.key === part);
      if (child) ids.add(child.id);
      else unknown.push(`${node.id}.${part}`);
      return;
    }
    if (!part || typeof part !== 'object' || Array.isArray(part)) return;
    for (const [key, sub] of Object.entries(part)) {
      const child = node.children.find((candidate) => candidate.key === key);
      if (child) walk(child, sub);
      else unknown.push(`${node.id}.${key}`);
    }
  };
  if (value !== undefined) walk(root, value);
  return { ids, unknown };
}

/** `peer.active.signaling.stable` → `active.signaling.stable`. */
export function shortId(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(dot + 1);
}

/** The tags of the active states. */
export function activeTags(root: DiagramNode, active: ReadonlySet<string>): Set<string> {
  const tags = new Set<string>();
  const walk = (node: DiagramNode) => {
    if (!active.has(node.id)) return;
    for (const tag of node.tags) tags.add(tag);
    node.children.forEach(walk);
  };
  walk(root);
  return tags;
}

/**
 * The phase `peerView` shows, from a recorded state's tags, in its order (a replayed moment has
 * no live snapshot to ask). A rebuild shows as `reconnecting` through its states' tags.
 */
export function phaseOf(tags: ReadonlySet<string>): string {
  for (const phase of [
    'idle',
    'starting',
    'failed',
    'closed',
    'connected',
    'reconnecting',
    'connecting',
  ]) {
    if (tags.has(phase)) return phase;
  }
  return 'negotiating';
}
