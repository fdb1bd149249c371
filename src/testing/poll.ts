// Retrying for the matchers. Playwright hands a custom matcher its expect timeout (`this.timeout`)
// and leaves retrying to it, so each matcher probes the page until it sees what it waits for (or,
// under `.not`, its opposite), as Playwright's own web-first assertions do.

const INTERVALS_MS = [100, 250, 500, 1000];

/**
 * Calls `probe` until `done` accepts its result or `timeoutMs` has passed, and returns the last
 * result. A timeout of 0 or less waits without limit (the test's own timeout ends it), as in Playwright.
 */
export async function pollUntil<T>(
  timeoutMs: number,
  probe: () => Promise<T>,
  done: (result: T) => boolean,
): Promise<T> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  for (let attempt = 0; ; attempt++) {
    const result = await probe();
    const left = deadline - Date.now();
    if (done(result) || left <= 0) return result;
    const pause = Math.min(INTERVALS_MS[Math.min(attempt, INTERVALS_MS.length - 1)]!, left);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
