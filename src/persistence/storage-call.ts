import type { Report } from "../core/errors.js";

/**
 * Runs one storage call. Any of them may throw or reject (quota, SecurityError, blocked
 * IndexedDB): that is reported, once, and swallowed, and live-stash goes on from memory.
 */
export function attempt<T>(report: Report, call: () => T | Promise<T>): T | Promise<T | undefined> | undefined {
  const fail = (error: unknown) => {
    report("storage", "storage failed; keeping stashes in memory", error);
    return undefined;
  };
  try {
    const result = call();
    return result instanceof Promise ? result.catch(fail) : result;
  } catch (error) {
    return fail(error);
  }
}
