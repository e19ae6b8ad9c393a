/**
 * Layers replacement members over an object (in practice a native peer connection) without
 * copying it. Every adapter in this folder is one overlay, so adapters compose by stacking.
 * @module
 */

/**
 * Returns a Proxy of `target` that answers the own members of `overrides` (methods, values,
 * getters and setters) itself and forwards every other read, write and `in` check to `target`.
 *
 * Forwarded reads and writes use `target` as `this`: native accessors (`signalingState`,
 * `onicecandidate`, …) and methods (`addEventListener`, `createDataChannel`, …) brand-check
 * their receiver and throw "Illegal invocation" when called on a Proxy. Methods (functions
 * held by a data property of the prototype chain) are bound once and cached, so
 * `pc.close === pc.close` holds as it does on the native object. Functions read through an
 * accessor or held by the object itself are values, such as an `onicecandidate` handler, and
 * are returned as they are, so `pc.onicecandidate === handler` holds too.
 *
 * The Proxy keeps the target's prototype, so `instanceof RTCPeerConnection` and
 * `instanceof EventTarget` still hold. Events are still dispatched by the target, so
 * `event.target` is the native object, not the overlay.
 */
export function overlay<T extends object>(target: object, overrides: object): T {
  // Captured once: overrides are fixed when the overlay is built, only their values may change.
  const members = new Map<PropertyKey, PropertyDescriptor>();
  for (const key of Reflect.ownKeys(overrides)) {
    members.set(key, Reflect.getOwnPropertyDescriptor(overrides, key)!);
  }
  const bound = new WeakMap<object, unknown>();

  const proxy: T = new Proxy(target, {
    get(_target, key) {
      const member = members.get(key);
      if (member) return member.get ? member.get.call(proxy) : member.value;
      const value: unknown = Reflect.get(target, key, target);
      // `constructor` stays unbound so `pc.constructor === RTCPeerConnection` keeps holding.
      if (typeof value !== 'function' || key === 'constructor' || !isMethod(target, key)) {
        return value;
      }
      let method = bound.get(value);
      if (method === undefined) {
        method = (value as (...args: unknown[]) => unknown).bind(target);
        bound.set(value, method);
      }
      return method;
    },
    set(_target, key, value) {
      const member = members.get(key);
      if (!member) return Reflect.set(target, key, value, target);
      if (member.set) {
        member.set.call(proxy, value);
        return true;
      }
      // A getter without setter is read-only, like the native readonly attributes it stands for.
      if (member.get || !member.writable) return false;
      members.set(key, { ...member, value });
      return true;
    },
    has(_target, key) {
      return members.has(key) || Reflect.has(target, key);
    },
  }) as T;
  return proxy;
}

/** `true` when `key` is a data property of the prototype chain, not of `target` itself. */
function isMethod(target: object, key: PropertyKey): boolean {
  if (Reflect.getOwnPropertyDescriptor(target, key)) return false;
  for (
    let object: object | null = Reflect.getPrototypeOf(target);
    object;
    object = Reflect.getPrototypeOf(object)
  ) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
    if (descriptor) return 'value' in descriptor;
  }
  return false;
}
