import { shortId } from './machineGraph.js';
import { type DiagramTransition, transitionLabel } from './transitions.js';

export interface NextTransitionsProps {
  readonly transitions: readonly DiagramTransition[];
  readonly label: string;
  /** Called with the transition a user points at (focus or hover), null when they leave. */
  readonly onFocus: (transition: DiagramTransition | null) => void;
}

/**
 * The transitions that can leave the current states, as a list a keyboard reaches: focusing one
 * shows its view of the graph with its edge marked.
 */
export function NextTransitions({ transitions, label, onFocus }: NextTransitionsProps) {
  return (
    <details className="next-transitions">
      <summary>
        Transitions out of the current state (
        <span data-testid="next-count">{transitions.length}</span>)
      </summary>
      <ul
        className="next-list"
        aria-label={label}
        onMouseLeave={() => onFocus(null)}
        onBlur={() => onFocus(null)}
      >
        {transitions.map((transition) => (
          <li key={transition.id}>
            <button
              type="button"
              className="next-item"
              data-transition={transition.id}
              onFocus={() => onFocus(transition)}
              onMouseEnter={() => onFocus(transition)}
            >
              <code>{transitionLabel(transition)}</code>: {shortId(transition.source)} →{' '}
              {shortId(transition.target)}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
