/**
 * How the channels report a listener that threw.
 * @module
 */

/** Like an event listener's exception: reported globally, without stopping the others. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    setTimeout(() => {
      throw error;
    }, 0);
}
