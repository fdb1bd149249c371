import { CONNECTED_CLASS, JOURNAL_PREFIX, MAIN_VIEW_SELECTOR, SNAPSHOT_PREFIX } from "./constants";
import { createReporter, LiveStashError } from "./errors";
import { listen, type Update } from "./events";
import { ownerOf, paramsForJoin, type JoinState } from "./join";
import { createMirror } from "./mirror";
import { isRestoredPage } from "./navigation";
import { resolveOptions, type LiveStashOptions } from "./options";
import { attempt, createWriter } from "./persist";
import { PAGE_LOADING_STOP, PARAM_KEY, type StashKind } from "./protocol";
import { entrySize, type Entry } from "./record";
import { buildSnapshot, isExpired, readSnapshot } from "./snapshot";
import { openStorage, tabStorage } from "./storage/open";
import { sweepStaleSnapshots } from "./sweep";
import { claimTab, markTab } from "./tab";
import { takeJournal, writeJournal } from "./journal";

export type ConnectParams = Record<string, unknown>;
/** What LiveSocket accepts as `params`: an object, or a function of the joining view's element. */
export type ParamsInput = ConnectParams | ((el?: HTMLElement) => ConnectParams);
export type ParamsFunction = (el?: HTMLElement) => ConnectParams;

/** What the inspector may show of an entry: never the token itself. */
export interface StashEntryInfo {
  view: string;
  kind: StashKind;
  bytes: number;
  savedAt: number;
  seenAt: number;
  expiresAt: number;
  path: string;
  main: boolean;
  /** Came from storage on this page load and waits to be replayed. */
  restored: boolean;
  storage: string;
}

export interface LiveStash {
  /** Pass as LiveSocket's `params`. */
  params: ParamsFunction;
  /** Settles once stored stashes are read (at once for memory and sessionStorage). Never rejects. */
  ready: Promise<void>;
  /** Forgets every stash of this tab, in memory and in storage (e.g. on logout). */
  clear(): void;
  entries(): readonly StashEntryInfo[];
  /** Calls `listener` after every change of the entries; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Stops listening and writes what is pending. */
  dispose(): void;
}

export function createLiveStash(params: ParamsInput = {}, options?: LiveStashOptions): LiveStash {
  if (typeof params !== "function" && (typeof params !== "object" || params === null)) {
    throw new LiveStashError("options", "params must be an object or a function of the view element");
  }
  const opts = resolveOptions(options);
  const report = createReporter(opts.onError);
  const now = () => Date.now();
  const session = tabStorage();
  const tab = claimTab(session, (document as Document & { wasDiscarded?: boolean }).wasDiscarded === true);
  const storage = openStorage(opts.storage, report);
  const key = SNAPSHOT_PREFIX + tab.id;
  const storageName = typeof opts.storage === "string" ? opts.storage : "custom";
  // The duplicate got copies of the original's sessionStorage snapshot and journal: not ours.
  if (tab.duplicateOf) {
    takeJournal(session, SNAPSHOT_PREFIX + tab.duplicateOf);
    takeJournal(session, JOURNAL_PREFIX + tab.duplicateOf);
  }
  const journaled = opts.storage === "indexeddb";
  const journalKey = JOURNAL_PREFIX + tab.id;

  const restoredPage = isRestoredPage();
  const mirror = createMirror(opts.maxEntries);
  const state: JoinState = {
    mirror,
    owners: new Map(),
    stored: new Set(),
    joined: new Set(),
    replayable: (entry) => opts.recoverAfterReload && restoredPage && entry.path === location.pathname,
  };
  const listeners = new Set<() => void>();
  const snapshot = () => buildSnapshot(mirror.list(), now(), opts.maxBytes, report);
  const writer = createWriter(storage, key, snapshot, report);
  let loaded = false;
  let writeWhenLoaded = false;

  const changed = () => {
    if (loaded) writer.schedule();
    else writeWhenLoaded = true;
    listeners.forEach((listener) => listener());
  };

  const apply = (view: string | undefined, update: Update) => {
    const id = view || document.querySelector(MAIN_VIEW_SELECTOR)?.id;
    if (!id) return report("payload", "a push without `view` arrived, but the page has no main LiveView");
    const el = document.getElementById(id);
    if (el) state.owners.set(id, ownerOf(el));
    else state.owners.delete(id);
    state.stored.delete(id);
    if (update === null) mirror.delete(id);
    else {
      const at = now();
      const main = view === undefined || el?.matches(MAIN_VIEW_SELECTOR) === true;
      mirror.set(id, { ...update, savedAt: at, seenAt: at, path: location.pathname, main });
    }
    changed();
  };

  const merge = (raw: unknown) => {
    const { entries, dirty } = readSnapshot(raw, now(), opts.ttlMs, report);
    for (const [id, entry] of entries) {
      if (mirror.has(id)) continue;
      mirror.set(id, entry);
      state.stored.add(id);
    }
    loaded = true;
    if (dirty || writeWhenLoaded) changed();
    else listeners.forEach((listener) => listener());
  };

  const stashFor = (el: HTMLElement) => {
    const entry = mirror.get(el.id);
    if (entry && isExpired(entry, now(), opts.ttlMs)) {
      mirror.delete(el.id);
      changed();
    }
    return paramsForJoin(state, el);
  };

  const paramsFn: ParamsFunction = (el) => {
    const base = typeof params === "function" ? params(el) : params;
    // A fresh object every call: LiveView writes `_mounts` and friends into what it gets back.
    const out: ConnectParams = { ...base };
    if (!el) return out;
    try {
      out[PARAM_KEY] = stashFor(el);
    } catch (error) {
      report("payload", "could not read the stash for a joining view", error);
      out[PARAM_KEY] = {};
    }
    return out;
  };

  /**
   * While a view is connected its server keeps the stash alive; so does the client. A replayed
   * entry whose view has joined is this page's own from then on: no longer `restored`.
   */
  const touchConnected = () => {
    let touched = false;
    for (const [id, { el }] of state.owners) {
      const entry = mirror.get(id);
      if (!entry || !el.isConnected || !el.classList.contains(CONNECTED_CLASS)) continue;
      mirror.set(id, { ...entry, seenAt: now() });
      state.stored.delete(id);
      touched = true;
    }
    if (touched) changed();
  };

  const flushNow = () => {
    touchConnected();
    if (loaded && writer.pending) writer.flush();
  };
  const onPageHide = () => {
    flushNow();
    if (journaled && loaded) writeJournal(session, journalKey, snapshot(), now(), report);
    markTab(session, tab.id, false);
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) markTab(session, tab.id, true);
  };
  const onVisibility = () => {
    if (document.visibilityState === "hidden") flushNow();
  };

  const stopListening = listen(window, apply, report);
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("pageshow", onPageShow);
  window.addEventListener(PAGE_LOADING_STOP, touchConnected);
  document.addEventListener("visibilitychange", onVisibility);
  const keepAlive = setInterval(touchConnected, Math.max(250, opts.ttlMs / 4));

  const journal = journaled ? takeJournal(session, journalKey) : undefined;
  // The journal is newer than what IndexedDB holds: it wins, and IndexedDB is brought up to date.
  if (journal !== undefined) writeWhenLoaded = true;
  const raw = journal ?? attempt(report, () => storage.getItem(key));
  const ready =
    raw instanceof Promise
      ? raw.then(merge).catch((error: unknown) => report("stored", "could not read stored stashes", error))
      : Promise.resolve(merge(raw));
  void ready.then(() => attempt(report, () => sweepStaleSnapshots(storage, key, now(), opts.ttlMs)));

  const info = ([view, entry]: [string, Entry]): StashEntryInfo => ({
    view,
    kind: entry.kind,
    bytes: entrySize(entry),
    savedAt: entry.savedAt,
    seenAt: entry.seenAt,
    expiresAt: entry.seenAt + opts.ttlMs,
    path: entry.path,
    main: entry.main,
    restored: state.stored.has(view),
    storage: storageName,
  });

  return {
    params: paramsFn,
    ready,
    clear() {
      mirror.clear();
      state.owners.clear();
      state.stored.clear();
      changed();
      if (loaded) writer.flush();
    },
    entries: () => mirror.list().map(info),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopListening();
      clearInterval(keepAlive);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      window.removeEventListener(PAGE_LOADING_STOP, touchConnected);
      document.removeEventListener("visibilitychange", onVisibility);
      if (loaded && writer.pending) writer.flush();
      listeners.clear();
    },
  };
}
