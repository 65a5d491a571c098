/**
 * Runs `fn` when the page is idle (at the latest after `timeoutMs`); returns a cancel function.
 * Browsers without requestIdleCallback (Safari) wait a short timer instead.
 */
export function whenIdle(fn: () => void, timeoutMs = 1000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => fn(), { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 100);
  return () => clearTimeout(id);
}
