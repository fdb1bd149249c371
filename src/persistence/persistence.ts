// A tab's snapshot in its storage: read once at start (from the unload journal when there is
// one), then written back, coalesced, whenever the mirror changes, but never before the stored
// copy was read, or a write could erase what the page has yet to load.
import { JOURNAL_PREFIX, SNAPSHOT_PREFIX } from "../core/constants.js";
import type { Entry } from "../core/entry.js";
import type { Report } from "../core/errors.js";
import { wasDiscarded } from "../core/page-load.js";
import { takeJournal, writeJournal } from "./journal.js";
import { buildSnapshot, readSnapshot } from "./snapshot.js";
import type { StashStorage } from "./stash-storage.js";
import { attempt } from "./storage-call.js";
import { sweepStaleSnapshots } from "./sweep.js";
import { claimTab, markTab } from "./tab-id.js";
import { createWriter } from "./writer.js";

export interface PersistenceOptions {
  storage: StashStorage;
  /** The tab's sessionStorage, for its id and the journal; undefined where it is off limits. */
  session: Storage | undefined;
  /** Back an asynchronous storage with a synchronous journal written at unload. */
  journaled: boolean;
  ttlMs: number;
  /** What a snapshot may hold; the newest entries that fit are stored, the rest stay in memory. */
  maxBytes: number;
  /** The entries to store, read at each write. */
  entries: () => Array<[string, Entry]>;
  report: Report;
}

export function createPersistence(options: PersistenceOptions) {
  const { storage, session, report } = options;
  const tabId = claimTab(session, wasDiscarded(document));
  const key = SNAPSHOT_PREFIX + tabId;
  const journalKey = JOURNAL_PREFIX + tabId;
  const build = () => buildSnapshot(options.entries(), Date.now(), options.maxBytes, report);
  const writer = createWriter(storage, key, build, report);
  let loaded = false;
  let writeWhenLoaded = false;

  const changed = () => {
    if (loaded) writer.schedule();
    else writeWhenLoaded = true;
  };

  return {
    changed,
    /** Reads the stored snapshot and hands `merge` the entries still good to replay. */
    load(merge: (entries: Array<[string, Entry]>) => void): Promise<void> {
      const journal = options.journaled ? takeJournal(session, journalKey) : undefined;
      // The journal is newer than what the storage holds: it wins, and the storage catches up.
      if (journal !== undefined) writeWhenLoaded = true;
      const finish = (raw: unknown) => {
        const { entries, dirty } = readSnapshot(raw, Date.now(), options.ttlMs, report);
        merge(entries);
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
    /** The page goes: what is pending is written, the journal too, and the tab id is set free. */
    unload() {
      if (loaded && writer.pending) writer.flush();
      if (options.journaled && loaded) writeJournal(session, journalKey, build(), Date.now(), report);
      markTab(session, tabId, false);
    },
    /** Back from the back/forward cache: the tab id is this page's again. */
    restored: () => markTab(session, tabId, true),
  };
}
