import { CONNECTED_CLASS, MAIN_VIEW_SELECTOR } from "./constants.js";
import { createReporter, LiveStashError } from "./errors.js";
import { listen, type Update } from "./events.js";
import { entryInfo, type StashEntryInfo } from "./info.js";
import { ownerOf, paramsForJoin, type JoinParams, type JoinState } from "./join.js";
import { createMirror } from "./mirror.js";
import { isRestoredPage } from "./navigation.js";
import { resolveOptions, type LiveStashOptions } from "./options.js";
import { watchPage } from "./page-events.js";
import { createPersistence } from "./persistence.js";
import { nextEntry } from "./next-entry.js";
import { ACCEPT_KEY, KEYED_CAPABILITY, PARAM_KEY } from "./protocol.js";
import { buildSnapshot, isExpired, readSnapshot } from "./snapshot.js";
import { openStorage, tabStorage } from "./storage/open.js";
import { claimTab, markTab } from "./tab.js";

/** Join params as LiveSocket sends them: the app's own (`_csrf_token`, …) plus `liveStash`. */
export type ConnectParams = Record<string, unknown>;
/** What LiveSocket accepts as `params`: an object, or a function of the joining view's element. */
export type ParamsInput = ConnectParams | ((el?: HTMLElement) => ConnectParams);
/** LiveSocket's `params` function: called per join with the joining view's element. */
export type ParamsFunction = (el?: HTMLElement) => ConnectParams;
export type { StashEntryInfo };

/** The whole client, from `createLiveStash`: its `params` for LiveSocket, and what it holds. */
export interface LiveStash {
  /** Pass as LiveSocket's `params`. */
  params: ParamsFunction;
  /** Settles once stored stashes are read (at once for memory and sessionStorage). Never rejects. */
  ready: Promise<void>;
  /** Forgets every stash of this tab, in memory and in storage (e.g. on logout). */
  clear(): void;
  /** What is held for each view, without the tokens: for the inspector, tests and debugging. */
  entries(): readonly StashEntryInfo[];
  /** Calls `listener` after every change of the entries; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Stops listening and writes what is pending. */
  dispose(): void;
}

/**
 * `initLiveStash` with the client kept: pass `.params` to LiveSocket, and keep the rest for the
 * inspector (`live-stash/inspector`), `clear()` on logout, or tests (`live-stash/testing`'s
 * `toHaveStash` reads `window.liveStash.entries()`). Throws on invalid options.
 */
export function createLiveStash(params: ParamsInput = {}, options?: LiveStashOptions): LiveStash {
  if (typeof params !== "function" && (typeof params !== "object" || params === null)) {
    throw new LiveStashError("options", "params must be an object or a function of the view element");
  }
  const opts = resolveOptions(options);
  const report = createReporter(opts.onError);
  const now = () => Date.now();
  const session = tabStorage();
  const tabId = claimTab(session, (document as Document & { wasDiscarded?: boolean }).wasDiscarded === true);
  const storageName = typeof opts.storage === "string" ? opts.storage : "custom";
  const restoredPage = isRestoredPage();
  const mirror = createMirror(opts.maxEntries);
  const state: JoinState = {
    mirror,
    owners: new Map(),
    stored: new Set(),
    joined: new Set(),
    replayable: (entry) => opts.recoverAfterReload && restoredPage && entry.path === location.pathname,
  };
  const persistence = createPersistence({
    storage: openStorage(opts.storage, report),
    session,
    tabId,
    journaled: opts.storage === "indexeddb",
    ttlMs: opts.ttlMs,
    build: () => buildSnapshot(mirror.list(), now(), opts.maxBytes, report),
    report,
  });
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const changed = () => {
    persistence.changed();
    notify();
  };

  const apply = (view: string | undefined, update: Update) => {
    const id = view || document.querySelector(MAIN_VIEW_SELECTOR)?.id;
    if (!id) return report("payload", "a push without `view` arrived, but the page has no main LiveView");
    const el = document.getElementById(id);
    const place = () => ({ path: location.pathname, main: view === undefined || el?.matches(MAIN_VIEW_SELECTOR) === true });
    // The server will refuse the incomplete set at recovery; until then it is still this view's newest.
    const missing = (count: number) => report("payload", `view ${id}: a per-key stash listed ${count} key(s) with no token; kept the rest`);
    const entry = nextEntry(mirror.get(id), update, now(), place, missing);
    if (entry === undefined) return;
    if (el) state.owners.set(id, ownerOf(el));
    else state.owners.delete(id);
    state.stored.delete(id);
    if (entry === null) mirror.delete(id);
    else mirror.set(id, entry);
    changed();
  };

  const merge = (raw: unknown) => {
    const { entries, dirty } = readSnapshot(raw, now(), opts.ttlMs, report);
    for (const [id, entry] of entries) {
      if (mirror.has(id)) continue;
      mirror.set(id, entry);
      state.stored.add(id);
    }
    notify();
    return dirty;
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
    let held: JoinParams = {};
    try {
      held = stashFor(el);
    } catch (error) {
      report("payload", `view ${el.id}: could not read its stash for its join`, error);
    }
    // Every join announces what this client accepts, whether or not it holds a stash.
    out[PARAM_KEY] = { ...held, [ACCEPT_KEY]: [KEYED_CAPABILITY] };
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

  const stopListening = listen(window, apply, report);
  const stopWatching = watchPage(
    {
      hidden() {
        touchConnected();
        persistence.flush();
      },
      unload() {
        touchConnected();
        persistence.unload();
        markTab(session, tabId, false);
      },
      restored: () => markTab(session, tabId, true),
      alive: touchConnected,
    },
    Math.max(250, opts.ttlMs / 4),
  );
  const ready = persistence.load(merge);

  return {
    params: paramsFn,
    ready,
    clear() {
      mirror.clear();
      state.owners.clear();
      state.stored.clear();
      changed();
      persistence.flushAll();
    },
    entries: () => mirror.list().map(([view, entry]) => entryInfo(view, entry, opts.ttlMs, state.stored.has(view), storageName)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopListening();
      stopWatching();
      persistence.flush();
      listeners.clear();
    },
  };
}
