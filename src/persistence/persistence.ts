// A tab's snapshot in its storage: read once at start (from the unload journal when there is
// one), then written back, coalesced, whenever the mirror changes, but never before the stored
// copy was read, or a write could erase what the page has yet to load.
import { JOURNAL_PREFIX, SNAPSHOT_PREFIX } from "../core/constants.js";
import type { Report } from "../core/errors.js";
import { takeJournal, writeJournal } from "./journal.js";
import { attempt } from "./storage-call.js";
import { createWriter } from "./writer.js";
import type { Snapshot } from "../core/entry.js";
import type { StashStorage } from "./stash-storage.js";
import { sweepStaleSnapshots } from "./sweep.js";

export interface PersistenceOptions {
  storage: StashStorage;
  /** The tab's sessionStorage, for the journal; undefined where it is off limits. */
  session: Storage | undefined;
  tabId: string;
  /** Back an asynchronous storage with a synchronous journal written at unload. */
  journaled: boolean;
  ttlMs: number;
  build: () => Snapshot | undefined;
  report: Report;
}

export function createPersistence(options: PersistenceOptions) {
  const { storage, session, report } = options;
  const key = SNAPSHOT_PREFIX + options.tabId;
  const journalKey = JOURNAL_PREFIX + options.tabId;
  const writer = createWriter(storage, key, options.build, report);
  let loaded = false;
  let writeWhenLoaded = false;

  const changed = () => {
    if (loaded) writer.schedule();
    else writeWhenLoaded = true;
  };

  return {
    changed,
    /** Reads the stored snapshot and hands it to `merge`, which says whether it dropped anything. */
    load(merge: (raw: unknown) => boolean): Promise<void> {
      const journal = options.journaled ? takeJournal(session, journalKey) : undefined;
      // The journal is newer than what the storage holds: it wins, and the storage catches up.
      if (journal !== undefined) writeWhenLoaded = true;
      const finish = (raw: unknown) => {
        const dirty = merge(raw);
        loaded = true;
        if (dirty || writeWhenLoaded) writer.schedule();
      };
      const raw = journal ?? attempt(report, () => storage.getItem(key));
      const ready =
        raw instanceof Promise
          ? raw.then(finish).catch((error: unknown) => report("stored", "could not read stored stashes", error))
          : Promise.resolve(finish(raw));
      void ready.then(() => attempt(report, () => sweepStaleSnapshots(storage, key, Date.now(), options.ttlMs)));
      return ready;
    },
    /** Writes what is pending at once. */
    flush() {
      if (loaded && writer.pending) writer.flush();
    },
    /** Writes the current snapshot at once, pending or not. */
    flushAll() {
      if (loaded) writer.flush();
    },
    unload() {
      if (loaded && writer.pending) writer.flush();
      if (options.journaled && loaded) writeJournal(session, journalKey, options.build(), Date.now(), report);
    },
  };
}
