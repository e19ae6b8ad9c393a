/**
 * The base of every fake: an `EventTarget` that counts its live listeners for leak tests, with
 * the same registration rules as the DOM (duplicates ignored, `once`, `signal`) and event handler
 * attributes (`onfoo`) that count as one listener while set.
 * @module
 */

import { noteListenerCount, registryEpoch, type TrackedTarget } from './fakeRegistry.js';

interface Registration {
  readonly type: string;
  readonly callback: EventListenerOrEventListenerObject;
  readonly capture: boolean;
  readonly wrapper: (this: unknown, event: Event) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

interface HandlerSlot {
  handler: (this: unknown, event: Event) => unknown;
  readonly listener: (event: Event) => void;
}

/** An `EventTarget` whose listeners are counted by the fake registry. */
export class FakeEventTarget extends EventTarget implements TrackedTarget {
  readonly #epoch = registryEpoch();
  readonly #registrations: Registration[] = [];
  readonly #handlers = new Map<string, HandlerSlot>();

  /** Listeners currently registered, handler attributes included. */
  get fakeListenerCount(): number {
    return this.#registrations.length;
  }

  /** A short name for leak reports; subclasses add what identifies them. */
  get fakeDescription(): string {
    return this.constructor.name;
  }

  /** Listener count per event type. */
  fakeListenerTypes(): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const { type } of this.#registrations) counts.set(type, (counts.get(type) ?? 0) + 1);
    return counts;
  }

  override addEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (callback === null) return;
    const capture = typeof options === 'boolean' ? options : (options?.capture ?? false);
    const once = typeof options === 'object' && options.once === true;
    const passive = typeof options === 'object' ? options.passive : undefined;
    const signal = typeof options === 'object' ? options.signal : undefined;
    // DOM "add an event listener": an aborted signal registers nothing, a duplicate is ignored.
    if (signal?.aborted) return;
    if (this.#find(type, callback, capture) !== undefined) return;

    const remove = (): void => this.#remove(registration);
    const wrapper = function (this: unknown, event: Event): void {
      // The DOM removes a `once` listener before invoking it.
      if (once) remove();
      if (typeof callback === 'function') callback.call(this, event);
      else callback.handleEvent(event);
    };
    const onAbort = signal === undefined ? undefined : remove;
    const registration: Registration = { type, callback, capture, wrapper, signal, onAbort };
    this.#registrations.push(registration);
    signal?.addEventListener('abort', remove, { once: true });
    super.addEventListener(type, wrapper, {
      capture,
      once,
      ...(passive === undefined ? {} : { passive }),
    });
    noteListenerCount(this, this.#epoch);
  }

  override removeEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    if (callback === null) return;
    const capture = typeof options === 'boolean' ? options : (options?.capture ?? false);
    const registration = this.#find(type, callback, capture);
    if (registration !== undefined) this.#remove(registration);
  }

  /**
   * @internal Defines the `onfoo` event handler attribute of each of `types` on a subclass's
   * prototype, where IDL attributes are accessors; the subclass declares their types.
   */
  protected static defineEventHandlers(prototype: FakeEventTarget, types: readonly string[]): void {
    for (const type of types) {
      Object.defineProperty(prototype, `on${type}`, {
        get(this: FakeEventTarget): unknown {
          return this.getHandler(type);
        },
        set(this: FakeEventTarget, value: unknown) {
          this.setHandler(type, value);
        },
        configurable: true,
      });
    }
  }

  /** The current `onfoo` handler for `type`. */
  protected getHandler<T>(type: string): T | null {
    return (this.#handlers.get(type)?.handler as T | undefined) ?? null;
  }

  /**
   * Sets the `onfoo` handler for `type`. As in the DOM, the handler keeps the position of its
   * first registration when replaced, and a non-function value clears it.
   */
  protected setHandler(type: string, value: unknown): void {
    const slot = this.#handlers.get(type);
    if (typeof value !== 'function') {
      if (slot === undefined) return;
      this.#handlers.delete(type);
      this.removeEventListener(type, slot.listener);
      return;
    }
    const handler = value as (this: unknown, event: Event) => unknown;
    if (slot !== undefined) {
      slot.handler = handler;
      return;
    }
    const created: HandlerSlot = {
      handler,
      listener: (event: Event) => {
        const result = created.handler.call(this, event);
        // HTML: an event handler returning false cancels the event.
        if (result === false) event.preventDefault();
      },
    };
    this.#handlers.set(type, created);
    this.addEventListener(type, created.listener);
  }

  #find(
    type: string,
    callback: EventListenerOrEventListenerObject,
    capture: boolean,
  ): Registration | undefined {
    return this.#registrations.find(
      (r) => r.type === type && r.callback === callback && r.capture === capture,
    );
  }

  #remove(registration: Registration): void {
    const index = this.#registrations.indexOf(registration);
    if (index === -1) return;
    this.#registrations.splice(index, 1);
    super.removeEventListener(registration.type, registration.wrapper, {
      capture: registration.capture,
    });
    if (registration.onAbort !== undefined) {
      registration.signal?.removeEventListener('abort', registration.onAbort);
    }
    noteListenerCount(this, this.#epoch);
  }
}
