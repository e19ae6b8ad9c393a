/**
 * The channel's listener sets: each listener is called in registration order, and one that
 * throws is reported like an event listener's exception without stopping the others.
 * @module
 */

import { reportListenerError } from '../reportListenerError.js';

export type Listener<T> = (value: T) => void;

/** The listeners of one kind of event. */
export class Listeners<T> {
  readonly #listeners = new Set<Listener<T>>();

  /** Adds `listener`; the returned function removes it. */
  add(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener present when the event happens, even if one removes another. */
  notify(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
