// `createLiveStash` assembles the folders: the core's state of this page's views, persistence of
// it into the chosen storage, and the window and page events that drive both.
import { checkParamsInput, paramsFunction, type ParamsFunction, type ParamsInput } from "./core/connect-params.js";
import { listEntries, type StashEntryInfo } from "./core/entry-info.js";
import { createReporter } from "./core/errors.js";
import { addStored, clearEntries, createJoinState, paramsForJoin, touchConnected } from "./core/join.js";
import { watchPage } from "./core/page-events.js";
import { applyPush, listen } from "./core/push-events.js";
import { resolveOptions, type LiveStashOptions } from "./options.js";
import { createPersistence } from "./persistence/persistence.js";
import { openStorage, tabStorage } from "./storage/open.js";

export type { ConnectParams, ParamsFunction, ParamsInput } from "./core/connect-params.js";
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
  checkParamsInput(params);
  const opts = resolveOptions(options);
  const report = createReporter(opts.onError);
  const state = createJoinState(opts.maxEntries, opts.recoverAfterReload);
  const persistence = createPersistence({
    storage: openStorage(opts.storage, report),
    session: tabStorage(),
    journaled: opts.storage === "indexeddb",
    ttlMs: opts.ttlMs,
    maxBytes: opts.maxBytes,
    entries: state.mirror.list,
    report,
  });
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const changed = () => {
    persistence.changed();
    notify();
  };
  const touch = () => touchConnected(state) && changed();

  const stopListening = listen(window, (view, update) => applyPush(state, view, update, report) && changed(), report);
  const stopWatching = watchPage(
    {
      hidden() {
        touch();
        persistence.flush();
      },
      unload() {
        touch();
        persistence.unload();
      },
      restored: persistence.restored,
      alive: touch,
    },
    Math.max(250, opts.ttlMs / 4),
  );
  const ready = persistence.load((entries) => {
    addStored(state, entries);
    notify();
  });

  return {
    params: paramsFunction(params, (el) => paramsForJoin(state, el, opts.ttlMs, changed), report),
    ready,
    clear() {
      clearEntries(state);
      changed();
      persistence.flushAll();
    },
    entries: () => listEntries(state, opts.ttlMs, typeof opts.storage === "string" ? opts.storage : "custom"),
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
