// An IndexedDB write started in `pagehide` may be cut off by the unload, so a reload right after a
// stash could replay the one before it. sessionStorage writes are synchronous and belong to the
// tab: on `pagehide` the snapshot is also written there, and the next load of this tab takes it
// as the newest truth, at once, without waiting for IndexedDB.
import { SNAPSHOT_VERSION } from "../core/constants.js";
import type { Report } from "../core/errors.js";
import type { Snapshot } from "./snapshot.js";

/** Reads and removes the journal: it speaks only for the unload that wrote it. */
export function takeJournal(session: Storage | undefined, key: string): unknown {
  try {
    const text = session?.getItem(key);
    if (text === null || text === undefined) return undefined;
    session?.removeItem(key);
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An empty snapshot is written too: "nothing stashed" must win over an older IndexedDB copy. */
export function writeJournal(
  session: Storage | undefined,
  key: string,
  snapshot: Snapshot | undefined,
  now: number,
  report: Report,
): void {
  try {
    session?.setItem(key, JSON.stringify(snapshot ?? { v: SNAPSHOT_VERSION, savedAt: now, entries: {} }));
  } catch (error) {
    report("storage", "could not write the unload journal; a reload may replay an older stash", error);
  }
}
