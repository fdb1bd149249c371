import type { Report } from "../core/errors.js";
import { indexedDbStorage } from "./indexeddb.js";
import { memoryStorage } from "./memory.js";
import { sessionStorageBackend } from "./session.js";
import type { StashStorage, StorageName } from "../persistence/stash-storage.js";

/**
 * Picks the backend. Merely touching `window.sessionStorage` throws in some locked-down browsers,
 * and IndexedDB may be missing: both fall back to memory, reported once.
 */
export function openStorage(choice: StorageName | StashStorage, report: Report): StashStorage {
  if (typeof choice !== "string") return choice;
  try {
    if (choice === "session") return sessionStorageBackend(window.sessionStorage);
    if (choice === "indexeddb") {
      if (typeof indexedDB === "undefined") throw new Error("IndexedDB is not available");
      return indexedDbStorage();
    }
  } catch (error) {
    report("storage", `${choice} storage is unavailable; keeping stashes in memory`, error);
  }
  return memoryStorage();
}

/** sessionStorage when the page may use it; the tab id lives there whatever the backend. */
export function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
