// Storage calls are slow (IndexedDB) or throw (quota, SecurityError): none of them runs on the
// event path. Writes coalesce, so the last stash of a burst is the one that lands.
import { FLUSH_DELAY_MS } from "./constants";
import type { Report } from "./errors";
import type { StashStorage } from "./storage/types";

/** Runs one storage call; a throw or a rejection is reported and swallowed. */
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

export function createWriter(
  storage: StashStorage,
  key: string,
  build: () => unknown,
  report: Report,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const snapshot = build();
    return attempt(report, () =>
      snapshot === undefined ? storage.removeItem(key) : storage.setItem(key, snapshot),
    );
  };

  return {
    flush,
    schedule() {
      timer ??= setTimeout(flush, FLUSH_DELAY_MS);
    },
    get pending() {
      return timer !== undefined;
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
