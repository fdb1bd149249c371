// Storage calls are slow (IndexedDB) or throw: none of them runs on the event path. Writes
// coalesce, so the last stash of a burst is the one that lands.
import { attempt } from "./attempt.js";
import { FLUSH_DELAY_MS } from "./constants.js";
import type { Report } from "./errors.js";
import type { StashStorage } from "./storage/types.js";

export function createWriter(storage: StashStorage, key: string, build: () => unknown, report: Report) {
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const snapshot = build();
    return attempt(report, () => (snapshot === undefined ? storage.removeItem(key) : storage.setItem(key, snapshot)));
  };

  return {
    flush,
    schedule() {
      timer ??= setTimeout(flush, FLUSH_DELAY_MS);
    },
    get pending() {
      return timer !== undefined;
    },
  };
}
