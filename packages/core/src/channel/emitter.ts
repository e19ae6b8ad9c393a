/** @internal A typed listener set per event name (TanStack's `subscribable`, keyed). */
export class Emitter<Events extends object> {
  readonly #handlers = new Map<keyof Events, Set<(value: never) => void>>();

  /** Adds a handler; returns the function that removes it. */
  on<K extends keyof Events>(type: K, handler: (value: Events[K]) => void): () => void {
    const set = this.#handlers.get(type) ?? new Set();
    this.#handlers.set(type, set);
    set.add(handler as (value: never) => void);
    return () => set.delete(handler as (value: never) => void);
  }

  emit<K extends keyof Events>(type: K, value: Events[K]): void {
    for (const handler of [...(this.#handlers.get(type) ?? [])]) {
      (handler as (value: Events[K]) => void)(value);
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}
