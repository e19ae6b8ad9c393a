/**
 * Reports an exception thrown by a signaling subscriber the way an event listener's exception is
 * reported: globally, without stopping the other subscribers or the delivery of later messages.
 * `reportError` exists in browsers and Deno; elsewhere the error is rethrown in a macrotask.
 */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') {
    report(error);
    return;
  }
  setTimeout(() => {
    throw error;
  }, 0);
}
