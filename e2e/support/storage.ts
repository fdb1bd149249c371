// Writing live-stash's storage behind its back: corrupted records and failing storages.
import type { Page } from "@playwright/test";
import { IDB_DATABASE, IDB_STORE, SNAPSHOT_PREFIX, TAB_KEY } from "../../src/core/constants";

export const STORAGE_NAMES = { tabKey: TAB_KEY, prefix: SNAPSHOT_PREFIX, db: IDB_DATABASE, store: IDB_STORE };

/** Puts `value` under this tab's snapshot key in IndexedDB, the store idb-keyval uses. */
export async function putIndexedDb(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ({ names, key, value }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(names.db);
        open.onupgradeneeded = () => open.result.createObjectStore(names.store);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(names.store, "readwrite");
          tx.objectStore(names.store).put(value, key);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { names: STORAGE_NAMES, key, value },
  );
}

/** Every live-stash write to sessionStorage and IndexedDB throws QuotaExceededError from now on. */
export async function makeStorageThrow(page: Page): Promise<void> {
  await page.addInitScript((prefix: string) => {
    const quota = () => new DOMException("The quota has been exceeded.", "QuotaExceededError");
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (key.startsWith(prefix)) throw quota();
      return setItem.call(this, key, value);
    };
    IDBObjectStore.prototype.put = () => {
      throw quota();
    };
  }, SNAPSHOT_PREFIX);
}

/**
 * From the next page load on, before live-stash reads its snapshot, the token of key `name` in
 * every stored per-key entry is flipped in one character: same length and alphabet, wrong bytes.
 */
export async function tamperStoredKeyOnLoad(page: Page, name: string): Promise<void> {
  await page.addInitScript(
    ({ prefix, name }) => {
      for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith(prefix))) {
        const snapshot = JSON.parse(sessionStorage.getItem(key) ?? "null") as {
          entries?: Record<string, { params?: { stashedKeys?: Record<string, string> } }>;
        } | null;
        for (const entry of Object.values(snapshot?.entries ?? {})) {
          const keys = entry.params?.stashedKeys;
          const token = keys?.[name];
          if (!keys || typeof token !== "string") continue;
          const i = Math.floor(token.length / 2);
          keys[name] = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
        }
        sessionStorage.setItem(key, JSON.stringify(snapshot));
      }
    },
    { prefix: SNAPSHOT_PREFIX, name },
  );
}
