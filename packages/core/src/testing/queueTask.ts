/**
 * The fakes' notion of "queue a task": a macrotask via the global `setTimeout`, looked up at call
 * time so that `vi.useFakeTimers()` installed after import still controls it.
 * @module
 */

/** Runs `callback` in a later task, after `delayMs` (0 = the next task). */
export function queueTask(callback: () => void, delayMs = 0): void {
  globalThis.setTimeout(callback, delayMs);
}

/** A promise resolved in a later task, which is when browsers settle WebRTC operations. */
export function nextTask(delayMs = 0): Promise<void> {
  return new Promise((resolve) => queueTask(resolve, delayMs));
}
