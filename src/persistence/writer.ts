// Storage calls are slow (IndexedDB) or throw: none of them runs on the event path. Writes
// coalesce, so the last stash of a burst is the one that lands.
import { attempt } from "./storage-call.js";
import { FLUSH_DELAY_MS } from "../core/constants.js";
import type { Report } from "../core/errors.js";
import type { StashStorage } from "./stash-storage.js";

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
