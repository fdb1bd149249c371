// The helpers of `live-stash/testing` that drive a page: connect, reconnect, offline, and read
// what the tab stored. They take structural Page/BrowserContext types, so Playwright (or anything
// shaped like it) works without this package depending on it at run time. Each page function runs
// in the browser, so it must stay self-contained: it cannot use this module's imports.
import { IDB_DATABASE, IDB_STORE, SNAPSHOT_PREFIX, TAB_KEY } from "../core/constants.js";
import type { StashKind } from "../index.js";

/** The parts of a Playwright `BrowserContext` these helpers use. */
export interface ContextLike {
  /** Playwright's `browserContext.setOffline`. */
  setOffline(offline: boolean): Promise<void>;
}

/** The parts of a Playwright `Page` these helpers use. */
export interface PageLike {
  /** Playwright's `page.evaluate`: runs a self-contained function in the page. */
  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  /** Playwright's `page.waitForFunction`. */
  waitForFunction<R, Arg>(pageFunction: (arg: Arg) => R, arg: Arg, options?: { timeout?: number }): Promise<unknown>;
  /** Playwright's `page.context()`, for going offline. */
  context(): ContextLike;
}

/** Options of `waitForConnected`, `goOffline` and `goOnline`. */
export interface WaitOptions {
  /** Milliseconds before giving up. Default 10,000. */
  timeout?: number;
  /** Name of the global holding the LiveSocket. Default `"liveSocket"`. */
  socketGlobal?: string;
}

/** Options of `reconnect`. */
export interface ReconnectOptions extends WaitOptions {
  /** How long the socket stays down before `connect()`, in milliseconds. Default 0. */
  delayMs?: number;
}

/** One stored entry as live-stash persists it (snapshot format v1). */
export interface StoredEntry {
  /** The server mode that made it. */
  kind: StashKind;
  /** What the view sends back on join: its token or stash id. Secret: keep out of logs. */
  params: Record<string, unknown>;
  /** When the server last pushed it, in ms since the epoch. */
  savedAt: number;
  /** When its view was last seen connected: expiry counts from here. */
  seenAt: number;
  /** `location.pathname` where it was saved. */
  path: string;
  /** Saved by the page's main view. */
  main: boolean;
}

const DEFAULT_TIMEOUT = 10_000;

/**
 * Resolves once the LiveSocket's websocket is open and every LiveView on the page carries
 * `phx-connected` (joined and rendered), so clicks reach the server.
 */
export async function waitForConnected(page: PageLike, options: WaitOptions = {}): Promise<void> {
  await page.waitForFunction(
    (name: string) => {
      const socket = (window as unknown as Record<string, { isConnected?: () => boolean } | undefined>)[name];
      const views = Array.from(document.querySelectorAll("[data-phx-session]"));
      return (
        socket?.isConnected?.() === true &&
        views.length > 0 &&
        views.every((v) => v.classList.contains("phx-connected"))
      );
    },
    options.socketGlobal ?? "liveSocket",
    { timeout: options.timeout ?? DEFAULT_TIMEOUT },
  );
}

/**
 * Drops the websocket with `liveSocket.disconnect()`, waits `delayMs`, calls `connect()` and
 * waits until every view has rejoined: the path a flaky network takes, made deterministic.
 */
export async function reconnect(page: PageLike, options: ReconnectOptions = {}): Promise<void> {
  await page.evaluate(
    async ({ name, delayMs }: { name: string; delayMs: number }) => {
      const socket = (window as unknown as Record<string, { disconnect(cb: () => void): void; connect(): void }>)[
        name
      ]!;
      await new Promise<void>((resolve) => socket.disconnect(resolve));
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      socket.connect();
    },
    { name: options.socketGlobal ?? "liveSocket", delayMs: options.delayMs ?? 0 },
  );
  await waitForConnected(page, options);
}

/**
 * Takes the browser context offline and waits until the page's LiveViews notice (they lose
 * `phx-connected`). Chromium's offline mode refuses new connections but leaves an open
 * websocket alone, so the current transport is also closed, as the OS does on a real loss
 * (with a non-1000 code: LiveView answers a 1000 close with a page reload, not a reconnect).
 */
export async function goOffline(page: PageLike, options: WaitOptions = {}): Promise<void> {
  await page.context().setOffline(true);
  await page.evaluate((name: string) => {
    const socket = (
      window as unknown as Record<string, { getSocket(): { conn?: { close(code: number, reason: string): void } } }>
    )[name]!;
    socket.getSocket().conn?.close(4000, "offline");
  }, options.socketGlobal ?? "liveSocket");
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll("[data-phx-session]")).every((v) => !v.classList.contains("phx-connected")),
    undefined,
    { timeout: options.timeout ?? DEFAULT_TIMEOUT },
  );
}

/** Brings the context back online and waits until every LiveView has rejoined. */
export async function goOnline(page: PageLike, options: WaitOptions = {}): Promise<void> {
  await page.context().setOffline(false);
  await waitForConnected(page, options);
}

/**
 * Reads this tab's persisted stash entries, keyed by LiveView DOM id, from sessionStorage or
 * IndexedDB (whichever holds the tab's snapshot). Empty when nothing is stored. Entries are
 * returned as stored: they contain the stash tokens, so keep them out of logs you publish.
 */
export async function readStoredEntries(page: PageLike): Promise<Record<string, StoredEntry>> {
  return page.evaluate(
    async (names: { tabKey: string; prefix: string; db: string; store: string }) => {
      const parse = (raw: unknown): unknown => {
        if (typeof raw !== "string") return raw;
        try {
          return JSON.parse(raw);
        } catch {
          return undefined;
        }
      };
      const tab = parse(sessionStorage.getItem(names.tabKey)) as { id?: unknown } | undefined;
      if (!tab || typeof tab.id !== "string") return {};
      const key = names.prefix + tab.id;
      let snapshot = parse(sessionStorage.getItem(key));
      if (snapshot === undefined || snapshot === null) {
        snapshot = await new Promise<unknown>((resolve) => {
          const open = indexedDB.open(names.db);
          open.onerror = () => resolve(undefined);
          open.onupgradeneeded = () => open.result.createObjectStore(names.store);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains(names.store)) {
              db.close();
              return resolve(undefined);
            }
            const get = db.transaction(names.store, "readonly").objectStore(names.store).get(key);
            get.onsuccess = () => {
              db.close();
              resolve(parse(get.result));
            };
            get.onerror = () => {
              db.close();
              resolve(undefined);
            };
          };
        });
      }
      const entries = (snapshot as { entries?: unknown } | undefined)?.entries;
      return typeof entries === "object" && entries !== null ? (entries as Record<string, never>) : {};
    },
    { tabKey: TAB_KEY, prefix: SNAPSHOT_PREFIX, db: IDB_DATABASE, store: IDB_STORE },
  );
}
